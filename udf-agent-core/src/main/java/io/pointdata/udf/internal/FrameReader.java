package io.pointdata.udf.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads length-prefixed protobuf messages: an unsigned varint length, then that many bytes.
 *
 * <p>Reads through its own buffer and parses a message in place when it is whole in the buffer, so a
 * frame split across reads (Kapacitor writes header and body separately) costs no extra copy in the
 * common case. EOF between frames is a clean end ({@link #read} returns null); EOF inside a frame, a
 * header over 10 bytes, or a length over the maximum is a {@link FrameException}.
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
    long length = readLength();
    if (length < 0) return null;
    if (length > maxFrameSize) {
      throw new FrameException(
          "frame " + (framesRead + 1) + " declares " + length + " bytes, over the maximum of " + maxFrameSize);
    }
    int size = (int) length;
    if (!fill(size)) {
      throw new FrameException(
          "unexpected EOF in frame " + (framesRead + 1) + ", expected " + (size - (limit - pos)) + " more bytes");
    }
    T message;
    try {
      CodedInputStream coded = CodedInputStream.newInstance(buffer, pos, size);
      coded.setRecursionLimit(16);
      message = parser.parseFrom(coded, ExtensionRegistryLite.getEmptyRegistry());
    } catch (InvalidProtocolBufferException e) {
      throw new FrameException("frame " + (framesRead + 1) + " is not a valid message: " + e.getMessage(), e);
    }
    pos += size;
    framesRead++;
    return message;
  }

  /** True if a whole frame is already buffered, so the next {@link #read} needs no read from the stream. */
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
