package io.pointdata.udf.internal;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A session's one writer of responses, shared by its reader thread (keepalives) and its handler
 * thread (everything else) under one lock.
 *
 * <p>The flush policy lives here: data responses are buffered and flushed once the handler has
 * nothing more queued ({@link #handled(boolean)}), so a burst of points costs one write; management
 * responses, keepalives and the error are flushed at once, since Kapacitor waits for them.
 *
 * <p>The first write failure is kept: later writes fail with it at once (data, management) or are
 * skipped (keepalives, flushes), and the session reports it as the cause of its end.
 */
final class ResponseWriter {
  private final Object lock = new Object();
  // Guarded by lock.
  private final FrameWriter frames;
  // Guarded by lock.
  private IOException failure;
  // Guarded by lock.
  private boolean errorSent;
  // Handler thread only.
  private final OutputValidator validator = new OutputValidator();

  ResponseWriter(OutputStream out, int bufferSize) {
    this.frames = new FrameWriter(out, bufferSize);
  }

  /**
   * Checks a data response against the protocol before it is written (see {@link OutputValidator});
   * throws what the handler's call then fails with.
   */
  void validate(Response response) {
    validator.check(response);
  }

  /** The batch the handler's responses have begun and not ended, or null. */
  UdfProto.BeginBatch openBatch() {
    return validator.openBatch();
  }

  /**
   * Buffers a data response, validated already; flushed by {@link #handled(boolean)}.
   *
   * @param encoded the response's frame as it arrived, to write instead of encoding it again, or
   *     null
   * @throws UncheckedIOException if this or an earlier write failed (the handler's call fails with
   *     it)
   */
  void writeData(Response response, byte[] encoded) {
    synchronized (lock) {
      if (failure != null) throw new UncheckedIOException(failure);
      try {
        if (encoded != null) {
          frames.writeEncoded(encoded);
        } else {
          frames.write(response);
        }
      } catch (IOException e) {
        failure = e;
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Writes and flushes a management response; throws if this or an earlier write failed. */
  void writeNow(Response response) throws IOException {
    synchronized (lock) {
      if (failure != null) throw failure;
      try {
        frames.write(response);
        frames.flush();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }

  /**
   * Writes and flushes a keepalive's answer (on the reader thread, whatever the handler is doing);
   * after a write failure, does nothing: the handler's side reports it.
   */
  void writeKeepalive(Response response) {
    synchronized (lock) {
      if (failure != null) return;
      try {
        frames.write(response);
        frames.flush();
      } catch (IOException e) {
        failure = e;
      }
    }
  }

  /**
   * Sends the session's one ErrorResponse (capped in length) at once; later calls do nothing.
   *
   * @throws IOException if the write fails, or an earlier one did
   */
  void writeError(String error) throws IOException {
    synchronized (lock) {
      if (errorSent) return;
      errorSent = true;
    }
    writeNow(
        Response.newBuilder()
            .setError(UdfProto.ErrorResponse.newBuilder().setError(Errors.cap(error)))
            .build());
  }

  /**
   * Called after the handler has handled what it took from the queue: flushes the buffered data
   * responses unless more requests are already waiting, whose responses can go in the same write.
   */
  void handled(boolean moreQueued) {
    if (!moreQueued) flush();
  }

  /** Flushes buffered responses; a failure is kept, not thrown. */
  void flush() {
    synchronized (lock) {
      if (failure != null) return;
      try {
        frames.flush();
      } catch (IOException e) {
        failure = e;
      }
    }
  }

  /** The first write failure, or null. */
  IOException failure() {
    synchronized (lock) {
      return failure;
    }
  }

  /** How many responses were written (buffered ones included). */
  long responsesWritten() {
    synchronized (lock) {
      return frames.framesWritten();
    }
  }
}
