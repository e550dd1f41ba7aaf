package io.pointdata.udf.testing;

import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.TextFormat;

/** Protocol messages as one line of text, for failure messages. */
final class Texts {
  private static final TextFormat.Printer ONE_LINE = TextFormat.printer().emittingSingleLine(true);

  private Texts() {}

  static String oneLine(MessageOrBuilder message) {
    return ONE_LINE.printToString(message).strip();
  }
}
