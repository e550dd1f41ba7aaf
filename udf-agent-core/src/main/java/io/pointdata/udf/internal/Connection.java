package io.pointdata.udf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** One inbound connection from Kapacitor: a process's stdin/stdout or one Unix socket. */
public interface Connection {
  InputStream input();

  OutputStream output();

  /** Ends our side after everything is flushed (half-close on a socket). */
  void closeOutput() throws IOException;

  /** Releases the connection; safe to call more than once, and from another thread to abort. */
  void close() throws IOException;

  /** Wraps a pair of streams; closing closes both. */
  static Connection of(InputStream in, OutputStream out) {
    return new Connection() {
      @Override
      public InputStream input() {
        return in;
      }

      @Override
      public OutputStream output() {
        return out;
      }

      @Override
      public void closeOutput() throws IOException {
        out.close();
      }

      @Override
      public void close() throws IOException {
        try {
          out.close();
        } finally {
          in.close();
        }
      }
    };
  }
}
