package io.pointdata.udf.internal;

import io.pointdata.udf.UdfException;

/** Words an exception for Kapacitor's log. */
public final class Errors {
  /**
   * The longest message sent to Kapacitor, in characters: it logs each in one line, and a task's
   * error shows in {@code kapacitor show}. Longer ones are cut, saying how much was left out.
   */
  public static final int MAX_MESSAGE_LENGTH = 4096;

  private Errors() {}

  /**
   * The message whole if it is short enough, else its start and how many characters were left out.
   */
  public static String cap(String message) {
    if (message.length() <= MAX_MESSAGE_LENGTH) return message;
    int keep = MAX_MESSAGE_LENGTH - 64;
    if (Character.isHighSurrogate(message.charAt(keep - 1))) keep--;
    return message.substring(0, keep)
        + "… ("
        + (message.length() - keep)
        + " more characters left out)";
  }

  /**
   * The message, or the exception's class when it has none, with the root cause's message if
   * different.
   */
  public static String describe(Throwable e) {
    String message = e.getMessage();
    String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    if (!(e instanceof UdfException) && message != null)
      text = e.getClass().getSimpleName() + ": " + text;
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    if (root != e && root.getMessage() != null && !text.contains(root.getMessage())) {
      text += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return text;
  }
}
