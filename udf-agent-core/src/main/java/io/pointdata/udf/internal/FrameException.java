package io.pointdata.udf.internal;

import java.io.IOException;

/** The bytes on the wire are not a well-formed frame; the session cannot go on. */
public final class FrameException extends IOException {
  private static final long serialVersionUID = 1L;

  public FrameException(String message) {
    super(message);
  }

  public FrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
