package io.pointdata.udf.internal;

import io.pointdata.udf.proto.UdfProto;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The bytes of points from Kapacitor that held strings that are not valid UTF-8, kept while the
 * handler may still see them (its point call; for a batch, until its end), so that a point sent
 * back unchanged goes out byte for byte and a UDF can ask for a value's raw bytes.
 *
 * <p>Per handler thread: a session adds and clears on its own thread, where the handler runs. Only
 * such points are kept, so the common case costs one look at an empty map.
 */
public final class RawPoints {
  private static final ThreadLocal<Map<UdfProto.Point, byte[]>> held =
      ThreadLocal.withInitial(IdentityHashMap::new);

  private RawPoints() {}

  /** Keeps {@code frame}, which holds {@code point} alone ({@code 8a 01 <length> <point>}). */
  static void hold(UdfProto.Point point, byte[] frame) {
    held.get().put(point, frame);
  }

  /** The frame that {@code point} arrived in, if it is held; else null. */
  static byte[] frameOf(UdfProto.Point point) {
    Map<UdfProto.Point, byte[]> map = held.get();
    return map.isEmpty() ? null : map.get(point);
  }

  static void clear() {
    Map<UdfProto.Point, byte[]> map = held.get();
    if (!map.isEmpty()) map.clear();
  }

  /** The raw bytes of the point's name. */
  public static byte[] name(UdfProto.Point point) {
    byte[] frame = frameOf(point);
    if (frame == null) return point.getName().getBytes(StandardCharsets.UTF_8);
    Scanner scan = new Scanner(frame);
    while (scan.next()) {
      if (scan.tag == 0x12) return scan.bytes(scan.start, scan.end);
    }
    return new byte[0];
  }

  /** The raw bytes of the tag's value whose key decodes to {@code key}; null if there is none. */
  public static byte[] tag(UdfProto.Point point, String key) {
    return entry(point, 0x3a, key, point.getTagsOrDefault(key, null));
  }

  /** The raw bytes of the string field whose key decodes to {@code key}; null if there is none. */
  public static byte[] stringField(UdfProto.Point point, String key) {
    return entry(point, 0x52, key, point.getFieldsStringOrDefault(key, null));
  }

  private static byte[] entry(UdfProto.Point point, int tag, String key, String decoded) {
    if (decoded == null) return null;
    byte[] frame = frameOf(point);
    if (frame == null) return decoded.getBytes(StandardCharsets.UTF_8);
    Scanner scan = new Scanner(frame);
    byte[] found = null; // the last entry with the key wins, as in the parsed map
    while (scan.next()) {
      if (scan.tag != tag) continue;
      Scanner inner = new Scanner(frame, scan.start, scan.end);
      byte[] entryKey = new byte[0];
      byte[] entryValue = new byte[0];
      while (inner.next()) {
        if (inner.tag == 0x0a) entryKey = inner.bytes(inner.start, inner.end);
        if (inner.tag == 0x12) entryValue = inner.bytes(inner.start, inner.end);
      }
      if (new String(entryKey, StandardCharsets.UTF_8).equals(key)) found = entryValue;
    }
    return found;
  }

  /**
   * Walks the fields of the point in a frame as {@link PointDecoder} wrote them (it has checked the
   * layout): each step leaves a field's tag and, for a length-delimited one, its bytes' bounds.
   */
  private static final class Scanner {
    private final byte[] in;
    private int pos;
    private final int limit;
    int tag;
    int start;
    int end;

    /** The point in a frame {@code 8a 01 <length> <point>}. */
    Scanner(byte[] frame) {
      this.in = frame;
      this.pos = 2;
      long length = varint();
      this.limit = pos + (int) length;
    }

    Scanner(byte[] bytes, int from, int to) {
      this.in = bytes;
      this.pos = from;
      this.limit = to;
    }

    boolean next() {
      if (pos >= limit) return false;
      tag = (int) varint();
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> {
          int length = (int) varint();
          start = pos;
          end = pos + length;
          pos = end;
        }
        default ->
            throw new IllegalStateException("wire type " + (tag & 7) + " in a decoded point");
      }
      return true;
    }

    byte[] bytes(int from, int to) {
      return java.util.Arrays.copyOfRange(in, from, to);
    }

    private long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = in[pos++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) break;
      }
      return value;
    }
  }
}
