package io.pointdata.udf.internal;

import io.pointdata.udf.UdfException;

/** Words an exception for Kapacitor's log. */
public final class Errors {
  private Errors() {}

  /** The message, or the exception's class when it has none, with the root cause's message if different. */
  public static String describe(Throwable e) {
    String message = e.getMessage();
    String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    if (!(e instanceof UdfException) && message != null) text = e.getClass().getSimpleName() + ": " + text;
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    if (root != e && root.getMessage() != null && !text.contains(root.getMessage())) {
      text += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return text;
  }
}
