package io.pointdata.udf.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * One connection to a UDF, as Kapacitor opens it: a spawned process, a Unix socket connection, or
 * an agent running in this JVM over pipes.
 */
interface Link {
  /** What the UDF writes (its stdout, or the socket). */
  InputStream input();

  /** What the UDF reads (its stdin, or the socket). */
  OutputStream output();

  /** Ends the UDF's input: closes stdin, or half-closes the socket. */
  void closeOutput() throws IOException;

  /**
   * Waits for the UDF to end once its output reached EOF: a process to exit, an in-JVM agent to
   * return. Returns the exit status (0 or 1 in the JVM; empty for a socket, which has none), or
   * null if it has not ended in time.
   */
  OptionalInt awaitEnd(Duration wait) throws InterruptedException;

  /** Ends the UDF by force (SIGKILL, or closing the connection); releases everything. */
  void kill();

  /** Recent diagnostics (a process's last stderr lines), or empty. */
  default String diagnostics() {
    return "";
  }
}
