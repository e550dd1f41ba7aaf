package io.pointdata.udf.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads length-prefixed protobuf messages: an unsigned varint length, then that many bytes.
 *
 * <p>Reads through its own buffer. {@link #read} parses a message in place when it is whole in the
 * buffer, so a frame split across reads (Kapacitor writes header and body separately) costs no extra
 * copy in the common case; {@link #readFrame} copies a frame's bytes out to be parsed elsewhere. EOF
 * between frames is a clean end (null); EOF inside a frame, a header over 10 bytes, or a length over
 * the maximum is a {@link FrameException}.
 *
 * <p>Not thread-safe: one reader thread per stream.
 */
public final class FrameReader<T> {
  /** The longest uvarint Go's binary.ReadUvarint accepts. */
  static final int MAX_HEADER_BYTES = 10;

  private final InputStream in;
  private final Parser<T> parser;
  private final int maxFrameSize;
  private byte[] buffer;
  private int pos;
  private int limit;
  private long framesRead;

  public FrameReader(InputStream in, Parser<T> parser, int maxFrameSize) {
    this.in = Objects.requireNonNull(in, "in == null");
    this.parser = Objects.requireNonNull(parser, "parser == null");
    if (maxFrameSize < 1) throw new IllegalArgumentException("maxFrameSize < 1: " + maxFrameSize);
    this.maxFrameSize = maxFrameSize;
    this.buffer = new byte[Math.min(64 * 1024, Math.max(maxFrameSize, MAX_HEADER_BYTES))];
  }

  /** Returns the next message, or null at a clean end of input. */
  public T read() throws IOException {
    int size = nextFrameSize();
    if (size < 0) return null;
    T message = parse(parser, buffer, pos, size, framesRead + 1);
    pos += size;
    framesRead++;
    return message;
  }

  /**
   * Returns the next frame's bytes, unparsed, or null at a clean end of input: a copy the caller
   * owns, to parse later with {@link #parse(Parser, byte[], long)}, on another thread say. Framing errors
   * are thrown here as by {@link #read}; whether the bytes are a valid message is left to the parse.
   */
  public byte[] readFrame() throws IOException {
    int size = nextFrameSize();
    if (size < 0) return null;
    byte[] frame = Arrays.copyOfRange(buffer, pos, pos + size);
    pos += size;
    framesRead++;
    return frame;
  }

  /**
   * Parses a frame from {@link #readFrame()}; {@code frameNumber} names it in the error. Safe to call
   * from any thread.
   *
   * @throws FrameException if the bytes are not a valid message
   */
  public static <T> T parse(Parser<T> parser, byte[] frame, long frameNumber) throws FrameException {
    return parse(parser, frame, 0, frame.length, frameNumber);
  }

  private static <T> T parse(Parser<T> parser, byte[] bytes, int offset, int size, long frameNumber)
      throws FrameException {
    try {
      CodedInputStream coded = CodedInputStream.newInstance(bytes, offset, size);
      coded.setRecursionLimit(16);
      return parser.parseFrom(coded, ExtensionRegistryLite.getEmptyRegistry());
    } catch (InvalidProtocolBufferException e) {
      throw new FrameException("frame " + frameNumber + " is not a valid message: " + e.getMessage(), e);
    }
  }

  /** Reads the next length and makes its frame available at {@code pos}; -1 at a clean end of input. */
  private int nextFrameSize() throws IOException {
    long length = readLength();
    if (length < 0) return -1;
    if (length > maxFrameSize) {
      throw new FrameException(
          "frame " + (framesRead + 1) + " declares " + length + " bytes, over the maximum of " + maxFrameSize);
    }
    int size = (int) length;
    if (!fill(size)) {
      throw new FrameException(
          "unexpected EOF in frame " + (framesRead + 1) + ", expected " + (size - (limit - pos)) + " more bytes");
    }
    return size;
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
        throw new FrameException("unexpected EOF in the length of frame " + (framesRead + 1) + " after " + i + " bytes");
      }
      byte b = buffer[pos++];
      if (i == MAX_HEADER_BYTES - 1 && (b & 0xff) > 1) {
        throw new FrameException("length of frame " + (framesRead + 1) + " overflows 64 bits");
      }
      value |= (long) (b & 0x7f) << (7 * i);
      if (b >= 0) return value < 0 ? Long.MAX_VALUE : value;
    }
    throw new FrameException("length of frame " + (framesRead + 1) + " is longer than " + MAX_HEADER_BYTES + " bytes");
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
