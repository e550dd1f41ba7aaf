package io.pointdata.udf.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes length-prefixed protobuf messages into a buffer, and the buffer to the stream on {@link
 * #flush()} or when it fills: one write syscall for many frames.
 *
 * <p>Not thread-safe: callers serialise access (the session holds its lock).
 */
public final class FrameWriter {
  static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

  private final OutputStream out;
  private final CodedOutputStream coded;
  private long framesWritten;

  public FrameWriter(OutputStream out) {
    this(out, DEFAULT_BUFFER_SIZE);
  }

  public FrameWriter(OutputStream out, int bufferSize) {
    this.out = Objects.requireNonNull(out, "out == null");
    this.coded = CodedOutputStream.newInstance(out, bufferSize);
  }

  /** Buffers one frame. */
  public void write(MessageLite message) throws IOException {
    coded.writeUInt32NoTag(message.getSerializedSize());
    message.writeTo(coded);
    framesWritten++;
  }

  /** Buffers one frame whose message is already encoded. */
  public void writeEncoded(byte[] message) throws IOException {
    coded.writeUInt32NoTag(message.length);
    coded.writeRawBytes(message);
    framesWritten++;
  }

  /** Writes buffered frames to the stream and flushes it. */
  public void flush() throws IOException {
    coded.flush();
    out.flush();
  }

  public long framesWritten() {
    return framesWritten;
  }
}
