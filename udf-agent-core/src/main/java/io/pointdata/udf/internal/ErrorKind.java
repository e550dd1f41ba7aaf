package io.pointdata.udf.internal;

import java.util.Locale;

/** Why a session failed or a connection was refused, as counted in the metrics. */
public enum ErrorKind {
  /** A handler call threw: the session ended with an ErrorResponse naming the request. */
  HANDLER,
  /** A handler call overran the handler deadline. */
  DEADLINE,
  /** A frame could not be read or parsed. */
  READ,
  /** A response could not be written to Kapacitor. */
  WRITE,
  /** A connection was refused: too many sessions, or a peer not on the allow-list. */
  REFUSED;

  /** The name in metrics: "handler", "deadline", … */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
