package io.pointdata.udf.internal;

import io.pointdata.udf.proto.UdfProto;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Decodes a point as protobuf-java's generated parser would, with less work: map entries go
 * straight into the builder instead of through a parsed entry message each, and strings that repeat
 * from point to point (measurement, tag keys and values, field names) are looked up, not decoded
 * again.
 *
 * <p>It reads only the layout Kapacitor writes: each field of {@code Point} with its declared wire
 * type, map entries holding a key and a value. Anything else (an unknown field, another wire type,
 * a truncated field) makes {@link #decode} return null, and the caller leaves the frame to the
 * generated parser, whose result or error then stands.
 *
 * <p>Unlike the generated parser, it accepts strings that are not valid UTF-8, as Kapacitor's Go
 * agent does: Kapacitor accepts such bytes in line protocol and forwards them, and refusing the
 * frame would fail the task. Each bad sequence decodes to U+FFFD, and {@link #hadInvalidUtf8()}
 * says so, so that the caller keeps the point's bytes to send it back unchanged.
 *
 * <p>{@link #decodeBeginBatch} and {@link #decodeEndBatch} read a batch's ends the same way, for a
 * frame the generated parser refused: a batch grouped by a tag whose value is not UTF-8 carries
 * those bytes in its group and tags.
 *
 * <p>Not thread-safe: one per session, used by its handler thread.
 */
public final class PointDecoder {
  /** Strings longer than this are decoded every time; Kapacitor's names and tags are short. */
  private static final int MAX_CACHED_LENGTH = 64;

  private static final int CACHE_SIZE = 512;

  private final byte[][] cachedBytes = new byte[CACHE_SIZE][];
  private final String[] cachedStrings = new String[CACHE_SIZE];
  private byte[] in;
  private int pos;
  private int limit;

  /**
   * The value of the {@code map<string, string>} entry read last; see {@link #readStringEntry()}.
   */
  private String entryValue;

  private boolean invalidUtf8;

  /** Whether the message decoded last held a string that is not valid UTF-8. */
  public boolean hadInvalidUtf8() {
    return invalidUtf8;
  }

  /**
   * The point encoded in {@code bytes[offset, end)}, or null if it is not in the layout read here.
   */
  public UdfProto.Point decode(byte[] bytes, int offset, int end) {
    in = bytes;
    pos = offset;
    limit = end;
    invalidUtf8 = false;
    try {
      return readPoint();
    } catch (Fallback | ArrayIndexOutOfBoundsException e) {
      return null;
    } finally {
      in = null;
    }
  }

  /**
   * The BeginBatch encoded in {@code bytes[offset, end)}, or null if it is not in the layout read
   * here. Meant for a frame the generated parser refused (see the class comment).
   */
  public UdfProto.BeginBatch decodeBeginBatch(byte[] bytes, int offset, int end) {
    return decodeOffHotPath(bytes, offset, end, this::readBeginBatch);
  }

  /**
   * The EndBatch encoded in {@code bytes[offset, end)}, or null if it is not in the layout read
   * here; see {@link #decodeBeginBatch}.
   */
  public UdfProto.EndBatch decodeEndBatch(byte[] bytes, int offset, int end) {
    return decodeOffHotPath(bytes, offset, end, this::readEndBatch);
  }

  /** Like {@link #decode}, for the messages that do not need its speed. */
  private <T> T decodeOffHotPath(byte[] bytes, int offset, int end, Supplier<T> reader) {
    in = bytes;
    pos = offset;
    limit = end;
    invalidUtf8 = false;
    try {
      T message = reader.get();
      if (pos != limit) throw Fallback.INSTANCE;
      return message;
    } catch (Fallback | ArrayIndexOutOfBoundsException e) {
      return null;
    } finally {
      in = null;
    }
  }

  private UdfProto.BeginBatch readBeginBatch() {
    UdfProto.BeginBatch.Builder begin = UdfProto.BeginBatch.newBuilder();
    while (pos < limit) {
      switch (in[pos++]) {
        case 0x0a -> begin.setName(readString());
        case 0x12 -> begin.setGroup(readString());
        case 0x1a -> {
          String key = readStringEntry();
          begin.putTags(key, entryValue);
        }
        case 0x20 -> begin.setSize(readVarint());
        case 0x28 -> begin.setByName(readVarint() != 0);
        default -> throw Fallback.INSTANCE;
      }
    }
    return begin.build();
  }

  private UdfProto.EndBatch readEndBatch() {
    UdfProto.EndBatch.Builder end = UdfProto.EndBatch.newBuilder();
    while (pos < limit) {
      switch (in[pos++]) {
        case 0x0a -> end.setName(readString());
        case 0x12 -> end.setGroup(readString());
        case 0x18 -> end.setTmax(readVarint());
        case 0x22 -> {
          String key = readStringEntry();
          end.putTags(key, entryValue);
        }
        case 0x28 -> end.setByName(readVarint() != 0);
        default -> throw Fallback.INSTANCE;
      }
    }
    return end.build();
  }

  private UdfProto.Point readPoint() {
    UdfProto.Point.Builder point = UdfProto.Point.newBuilder();
    while (pos < limit) {
      switch (in[pos++]) {
        case 0x08 -> point.setTime(readVarint());
        case 0x12 -> point.setName(readString());
        case 0x1a -> point.setDatabase(readString());
        case 0x22 -> point.setRetentionPolicy(readString());
        case 0x2a -> point.setGroup(readString());
        case 0x32 -> point.addDimensions(readString());
        case 0x3a -> {
          String key = readStringEntry();
          point.putTags(key, entryValue);
        }
        case 0x42 -> {
          int end = entryEnd();
          String key = "";
          double value = 0;
          while (pos < end) {
            switch (in[pos++]) {
              case 0x0a -> key = readString();
              case 0x11 -> value = Double.longBitsToDouble(readFixed64());
              default -> throw Fallback.INSTANCE;
            }
          }
          endEntry(end);
          point.putFieldsDouble(key, value);
        }
        case 0x4a -> {
          int end = entryEnd();
          String key = "";
          long value = 0;
          while (pos < end) {
            switch (in[pos++]) {
              case 0x0a -> key = readString();
              case 0x10 -> value = readVarint();
              default -> throw Fallback.INSTANCE;
            }
          }
          endEntry(end);
          point.putFieldsInt(key, value);
        }
        case 0x52 -> {
          String key = readStringEntry();
          point.putFieldsString(key, entryValue);
        }
        case 0x58 -> point.setByName(readVarint() != 0);
        case 0x62 -> {
          int end = entryEnd();
          String key = "";
          boolean value = false;
          while (pos < end) {
            switch (in[pos++]) {
              case 0x0a -> key = readString();
              case 0x10 -> value = readVarint() != 0;
              default -> throw Fallback.INSTANCE;
            }
          }
          endEntry(end);
          point.putFieldsBool(key, value);
        }
        default -> throw Fallback.INSTANCE;
      }
    }
    if (pos != limit) throw Fallback.INSTANCE;
    return point.build();
  }

  /**
   * Reads a {@code map<string, string>} entry: returns its key and leaves its value in {@link
   * #entryValue}.
   */
  private String readStringEntry() {
    int end = entryEnd();
    String key = "";
    String value = "";
    while (pos < end) {
      switch (in[pos++]) {
        case 0x0a -> key = readString();
        case 0x12 -> value = readString();
        default -> throw Fallback.INSTANCE;
      }
    }
    endEntry(end);
    entryValue = value;
    return key;
  }

  /** Reads a map entry's length; returns where the entry ends. */
  private int entryEnd() {
    int length = readLength();
    return pos + length;
  }

  private void endEntry(int end) {
    if (pos != end) throw Fallback.INSTANCE;
  }

  private int readLength() {
    long length = readVarint();
    if (length < 0 || length > limit - pos) throw Fallback.INSTANCE;
    return (int) length;
  }

  private long readVarint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) throw Fallback.INSTANCE;
      byte b = in[pos++];
      // A canonical tenth byte is 1. Over 1 overflows 64 bits; 0 is padding, which protobuf-java
      // decodes wrongly (it sign-extends). Either way the generated parser's result stands.
      if (shift == 63 && b != 1) throw Fallback.INSTANCE;
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) return value;
    }
    throw Fallback.INSTANCE;
  }

  private long readFixed64() {
    if (limit - pos < 8) throw Fallback.INSTANCE;
    long value = 0;
    for (int i = 7; i >= 0; i--) value = (value << 8) | (in[pos + i] & 0xffL);
    pos += 8;
    return value;
  }

  private String readString() {
    int length = readLength();
    int start = pos;
    pos += length;
    if (length == 0) return "";
    if (length > MAX_CACHED_LENGTH) return decodeUtf8(start, length);
    int hash = 1;
    for (int i = start; i < start + length; i++) hash = 31 * hash + in[i];
    int slot = (hash ^ (hash >>> 16)) & (CACHE_SIZE - 1);
    byte[] cached = cachedBytes[slot];
    if (cached != null && Arrays.equals(cached, 0, cached.length, in, start, start + length)) {
      return cachedStrings[slot];
    }
    String value = decodeUtf8(start, length);
    if (invalidUtf8 && value.indexOf('\uFFFD') >= 0)
      return value; // bytes that decode so are not cached
    cachedBytes[slot] = Arrays.copyOfRange(in, start, start + length);
    cachedStrings[slot] = value;
    return value;
  }

  /** Decodes UTF-8, each bad sequence to U+FFFD, and notes whether there was one. */
  private String decodeUtf8(int start, int length) {
    String value = new String(in, start, length, StandardCharsets.UTF_8);
    // Valid UTF-8 encodes back to the same bytes; a replaced sequence does not (it becomes EF BF
    // BD).
    if (value.indexOf('\uFFFD') >= 0) {
      byte[] again = value.getBytes(StandardCharsets.UTF_8);
      if (!Arrays.equals(again, 0, again.length, in, start, start + length)) invalidUtf8 = true;
    }
    return value;
  }

  /** Not the layout read here: the generated parser decides. */
  private static final class Fallback extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Fallback INSTANCE = new Fallback();

    private Fallback() {
      super(null, null, false, false);
    }
  }
}
