package io.pointdata.udf.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads response frames without decoding them: just their kind and, for a point, its time. The
 * driver's own cost per point stays small, so it measures the agent rather than itself.
 *
 * <p>A point is recognised by its first bytes, {@code 8a 01} (Response field 17), and its time by
 * the {@code 08} tag that Go and Java encoders write first; any other layout is parsed in full.
 */
final class ResponseScanner {
  static final int END = -1;
  static final int POINT = 17;

  private final InputStream in;
  private byte[] buffer = new byte[64 * 1024];
  private int pos;
  private int limit;
  private int frameStart;
  private int frameLength;
  private long pointTime;

  ResponseScanner(InputStream in) {
    this.in = in;
  }

  /** Reads the next frame; returns its Response field number, or {@link #END} at EOF. */
  int next() throws IOException {
    if (pos == limit && !fill(1)) return END;
    long length = readVarint();
    if (length > 64 * 1024 * 1024) throw new IOException("response frame of " + length + " bytes");
    frameLength = (int) length;
    if (!fill(frameLength)) throw new EOFException("EOF inside a response frame");
    frameStart = pos;
    pos += frameLength;
    if (frameLength == 0) return 0;
    int tagPos = frameStart;
    int tag = buffer[tagPos] & 0x7f;
    int field;
    if (buffer[tagPos] < 0) {
      tag |= (buffer[tagPos + 1] & 0x7f) << 7;
      tagPos += 2;
    } else {
      tagPos += 1;
    }
    field = tag >>> 3;
    if (field == POINT) pointTime = scanTime(tagPos);
    return field;
  }

  /** The time of the point just read. */
  long pointTime() {
    return pointTime;
  }

  /** A copy of the frame just read, to parse in full. */
  byte[] frame() {
    return Arrays.copyOfRange(buffer, frameStart, frameStart + frameLength);
  }

  private long scanTime(int at) throws IOException {
    int p = at;
    while (buffer[p] < 0) p++; // the point's length
    p++;
    if (p < frameStart + frameLength && buffer[p] == 0x08) {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = buffer[++p];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) return value;
      }
    }
    return io.pointdata.udf.proto.UdfProto.Response.parseFrom(frame()).getPoint().getTime();
  }

  private long readVarint() throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos == limit && !fill(1)) throw new EOFException("EOF inside a frame length");
      byte b = buffer[pos++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) return value;
    }
    throw new IOException("frame length longer than 10 bytes");
  }

  private boolean fill(int n) throws IOException {
    if (limit - pos >= n) return true;
    if (buffer.length - pos < n) {
      byte[] target = buffer.length < n ? new byte[Math.max(n, buffer.length * 2)] : buffer;
      System.arraycopy(buffer, pos, target, 0, limit - pos);
      buffer = target;
      limit -= pos;
      pos = 0;
    }
    while (limit - pos < n) {
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) return false;
      limit += read;
    }
    return true;
  }
}
