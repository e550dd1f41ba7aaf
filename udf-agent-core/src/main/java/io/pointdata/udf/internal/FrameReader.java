package io.pointdata.udf.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads length-prefixed protobuf messages: an unsigned varint length, then that many bytes.
 *
 * <p>Reads through its own small buffer. {@link #read} parses a message in place when it is whole
 * in the buffer, so a frame split across reads (Kapacitor writes header and body separately) costs
 * no extra copy in the common case; {@link #readFrame} copies a frame's bytes out to be parsed
 * elsewhere. A frame larger than the buffer is read into an array of its own that grows as its
 * bytes arrive, and handed over without a copy: a declared length alone allocates nothing big, and
 * the buffer stays small. EOF between frames is a clean end (null); EOF inside a frame, a header
 * over 10 bytes, or a length over the maximum is a {@link FrameException}.
 *
 * <p>With an {@link InFlightBudget}, each frame's length is reserved before its body is read; the
 * caller releases it (by {@link #readFrame}'s length) once the frame is handled.
 *
 * <p>Not thread-safe: one reader thread per stream.
 */
public final class FrameReader<T> {
  /** The longest uvarint Go's binary.ReadUvarint accepts. */
  static final int MAX_HEADER_BYTES = 10;

  /** The buffer's size: what an idle connection holds. Larger frames get an array of their own. */
  static final int BUFFER_SIZE = 8 * 1024;

  /** The first size of a large frame's own array, which then doubles as bytes arrive. */
  private static final int FIRST_CHUNK = 64 * 1024;

  private final InputStream in;
  private final Parser<T> parser;
  private final int maxFrameSize;
  private final InFlightBudget budget;
  private byte[] buffer;
  private int pos;
  private int limit;
  private long framesRead;

  public FrameReader(InputStream in, Parser<T> parser, int maxFrameSize) {
    this(in, parser, maxFrameSize, null);
  }

  /** A reader that reserves each frame from {@code budget} (null: none) before reading its body. */
  public FrameReader(InputStream in, Parser<T> parser, int maxFrameSize, InFlightBudget budget) {
    this.in = Objects.requireNonNull(in, "in == null");
    this.parser = Objects.requireNonNull(parser, "parser == null");
    if (maxFrameSize < 1) throw new IllegalArgumentException("maxFrameSize < 1: " + maxFrameSize);
    this.maxFrameSize = maxFrameSize;
    this.budget = budget;
    this.buffer = new byte[Math.min(BUFFER_SIZE, Math.max(maxFrameSize, MAX_HEADER_BYTES))];
  }

  /** Returns the next message, or null at a clean end of input. Releases its reservation itself. */
  public T read() throws IOException {
    long length = nextLength();
    if (length < 0) return null;
    int size = (int) length;
    try {
      if (size > buffer.length) return parse(parser, readLarge(size), 0, size, ++framesRead);
      fillFrame(size);
      T message = parse(parser, buffer, pos, size, framesRead + 1);
      pos += size;
      framesRead++;
      return message;
    } finally {
      if (budget != null) budget.release(size);
    }
  }

  /**
   * Returns the next frame's bytes, unparsed, or null at a clean end of input: a copy the caller
   * owns, to parse later with {@link #parse(Parser, byte[], long)}, on another thread say. Framing
   * errors are thrown here as by {@link #read}; whether the bytes are a valid message is left to
   * the parse.
   */
  public byte[] readFrame() throws IOException {
    long length = nextLength();
    if (length < 0) return null;
    int size = (int) length;
    try {
      byte[] frame;
      if (size > buffer.length) {
        frame = readLarge(size);
      } else {
        fillFrame(size);
        frame = Arrays.copyOfRange(buffer, pos, pos + size);
        pos += size;
      }
      framesRead++;
      return frame;
    } catch (IOException | RuntimeException | Error e) {
      if (budget != null) budget.release(size);
      throw e;
    }
  }

  /**
   * Parses a frame from {@link #readFrame()}; {@code frameNumber} names it in the error. Safe to
   * call from any thread.
   *
   * @throws FrameException if the bytes are not a valid message
   */
  public static <T> T parse(Parser<T> parser, byte[] frame, long frameNumber)
      throws FrameException {
    return parse(parser, frame, 0, frame.length, frameNumber);
  }

  private static <T> T parse(Parser<T> parser, byte[] bytes, int offset, int size, long frameNumber)
      throws FrameException {
    try {
      CodedInputStream coded = CodedInputStream.newInstance(bytes, offset, size);
      coded.setRecursionLimit(16);
      return parser.parseFrom(coded, ExtensionRegistryLite.getEmptyRegistry());
    } catch (InvalidProtocolBufferException e) {
      throw new FrameException(
          "frame " + frameNumber + " is not a valid message: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the next length, checks it and reserves it from the budget; -1 at a clean end of input.
   */
  private long nextLength() throws IOException {
    long length = readLength();
    if (length < 0) return -1;
    if (length > maxFrameSize) {
      throw new FrameException(
          "frame "
              + (framesRead + 1)
              + " declares "
              + length
              + " bytes, over the maximum of "
              + maxFrameSize);
    }
    if (budget != null) {
      try {
        budget.acquire(length, framesRead + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(
            "interrupted waiting for room for frame " + (framesRead + 1));
      }
    }
    return length;
  }

  /** Makes a frame that fits the buffer available at {@code pos}. */
  private void fillFrame(int size) throws IOException {
    if (!fill(size)) throw unexpectedEof(size - (limit - pos));
  }

  /**
   * Reads a frame larger than the buffer into an array of its own, grown as its bytes arrive (a
   * peer that declares much and sends little gets little memory), and returned without a copy.
   */
  private byte[] readLarge(int size) throws IOException {
    int buffered = limit - pos;
    byte[] frame = new byte[Math.min(size, Math.max(FIRST_CHUNK, buffered))];
    System.arraycopy(buffer, pos, frame, 0, buffered);
    pos = limit = 0;
    int filled = buffered;
    while (filled < size) {
      if (filled == frame.length)
        frame = Arrays.copyOf(frame, (int) Math.min(size, 2L * frame.length));
      int read = in.read(frame, filled, frame.length - filled);
      if (read < 0) throw unexpectedEof(size - filled);
      if (read == 0) throw new EOFException("stream returned 0 bytes");
      filled += read;
    }
    return frame;
  }

  private FrameException unexpectedEof(int missing) {
    return new FrameException(
        "unexpected EOF in frame " + (framesRead + 1) + ", expected " + missing + " more bytes");
  }

  /** True if a whole frame is already buffered, so the next read needs no read from the stream. */
  public boolean hasBufferedFrame() {
    long length = 0;
    int p = pos;
    for (int i = 0; i < MAX_HEADER_BYTES && p < limit; i++) {
      byte b = buffer[p++];
      length |= (long) (b & 0x7f) << (7 * i);
      if (b >= 0) return length >= 0 && length <= limit - p;
    }
    return false;
  }

  /** Frames read so far. */
  public long framesRead() {
    return framesRead;
  }

  /** Reads a uvarint length, or returns -1 at EOF before its first byte. */
  private long readLength() throws IOException {
    long value = 0;
    for (int i = 0; i < MAX_HEADER_BYTES; i++) {
      if (pos == limit && !fill(1)) {
        if (i == 0) return -1;
        throw new FrameException(
            "unexpected EOF in the length of frame " + (framesRead + 1) + " after " + i + " bytes");
      }
      byte b = buffer[pos++];
      if (i == MAX_HEADER_BYTES - 1 && (b & 0xff) > 1) {
        throw new FrameException("length of frame " + (framesRead + 1) + " overflows 64 bits");
      }
      value |= (long) (b & 0x7f) << (7 * i);
      if (b >= 0) return value < 0 ? Long.MAX_VALUE : value;
    }
    throw new FrameException(
        "length of frame " + (framesRead + 1) + " is longer than " + MAX_HEADER_BYTES + " bytes");
  }

  /** Makes at least {@code n} bytes available at {@code pos}; false on EOF first. */
  private boolean fill(int n) throws IOException {
    if (limit - pos >= n) return true;
    if (buffer.length - pos < n) {
      if (buffer.length < n) {
        byte[] bigger = new byte[Math.max(n, buffer.length * 2)];
        System.arraycopy(buffer, pos, bigger, 0, limit - pos);
        buffer = bigger;
      } else {
        System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      }
      limit -= pos;
      pos = 0;
    }
    while (limit - pos < n) {
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) return false;
      if (read == 0) throw new EOFException("stream returned 0 bytes");
      limit += read;
    }
    return true;
  }
}
