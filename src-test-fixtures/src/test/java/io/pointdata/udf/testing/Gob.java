package io.pointdata.udf.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's gob encoding of exactly one type, {@code map[string]*avgState}, as Kapacitor's moving_avg
 * example snapshots it. Keys are written sorted (Go writes them in random map order).
 */
final class Gob {
  /**
   * The three type-definition messages gob sends before the first value of this type: the map (id
   * 67), the struct avgState (id 65) and []float64 (id 66). They depend only on the Go type.
   */
  private static final byte[] TYPES =
      HexFormat.of()
          .parseHex(
              "0fff85040102ff8600010c01ff820000" // map[string]*avgState
                  + "29ff81030102ff82000103010453697a65010400010657696e646f7701ff840001034176670108000000" // avgState
                  + "17ff83020101095b5d666c6f6174363401ff840001080000"); // []float64

  private static final int MAP_TYPE_ID = 67;

  private Gob() {}

  static byte[] encode(Map<String, GoMovingAvg.State> state) {
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    writeInt(value, MAP_TYPE_ID);
    value.write(0); // a non-struct value is sent as a singleton field
    writeUint(value, state.size());
    for (Map.Entry<String, GoMovingAvg.State> e : new TreeMap<>(state).entrySet()) {
      byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
      writeUint(value, key.length);
      value.writeBytes(key);
      writeState(value, e.getValue());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(TYPES);
    writeUint(out, value.size());
    out.writeBytes(value.toByteArray());
    return out.toByteArray();
  }

  /** A struct: each non-zero field as (field number delta, value), then 0. */
  private static void writeState(ByteArrayOutputStream out, GoMovingAvg.State s) {
    int last = -1;
    if (s.size != 0) {
      writeUint(out, 0 - last);
      writeInt(out, s.size);
      last = 0;
    }
    if (!s.window.isEmpty()) {
      writeUint(out, 1 - last);
      writeUint(out, s.window.size());
      s.window.forEach(d -> writeFloat(out, d));
      last = 1;
    }
    if (s.avg != 0) {
      writeUint(out, 2 - last);
      writeFloat(out, s.avg);
    }
    out.write(0);
  }

  static Map<String, GoMovingAvg.State> decode(byte[] gob) {
    if (gob.length < TYPES.length || !Arrays.equals(gob, 0, TYPES.length, TYPES, 0, TYPES.length)) {
      throw new IllegalArgumentException("gob: not a map[string]*avgState stream");
    }
    Reader in = new Reader(gob, TYPES.length);
    long length = in.uint();
    if (length != gob.length - in.pos)
      throw new IllegalArgumentException("gob: bad message length " + length);
    if (in.integer() != MAP_TYPE_ID || in.uint() != 0)
      throw new IllegalArgumentException("gob: unexpected type");
    Map<String, GoMovingAvg.State> state = new TreeMap<>();
    long count = in.uint();
    for (long i = 0; i < count; i++) {
      String key = new String(in.bytes((int) in.uint()), StandardCharsets.UTF_8);
      GoMovingAvg.State s = new GoMovingAvg.State();
      int field = -1;
      for (long delta; (delta = in.uint()) != 0; ) {
        field += (int) delta;
        switch (field) {
          case 0 -> s.size = in.integer();
          case 1 -> {
            long n = in.uint();
            for (long j = 0; j < n; j++) s.window.add(in.floating());
          }
          case 2 -> s.avg = in.floating();
          default -> throw new IllegalArgumentException("gob: unknown field " + field);
        }
      }
      state.put(key, s);
    }
    return state;
  }

  private static void writeUint(ByteArrayOutputStream out, long u) {
    if (u >= 0 && u < 128) {
      out.write((int) u);
      return;
    }
    int n = 8 - Long.numberOfLeadingZeros(u) / 8;
    out.write(256 - n);
    for (int i = n - 1; i >= 0; i--) out.write((int) (u >>> (8 * i)));
  }

  private static void writeInt(ByteArrayOutputStream out, long i) {
    writeUint(out, i < 0 ? (~i << 1) | 1 : i << 1);
  }

  private static void writeFloat(ByteArrayOutputStream out, double d) {
    writeUint(out, Long.reverseBytes(Double.doubleToLongBits(d)));
  }

  private static final class Reader {
    private final byte[] b;
    int pos;

    Reader(byte[] b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    long uint() {
      int first = next();
      if (first < 128) return first;
      int n = 256 - first;
      long u = 0;
      for (int i = 0; i < n; i++) u = (u << 8) | next();
      return u;
    }

    long integer() {
      long u = uint();
      return (u & 1) != 0 ? ~(u >>> 1) : u >>> 1;
    }

    double floating() {
      return Double.longBitsToDouble(Long.reverseBytes(uint()));
    }

    byte[] bytes(int n) {
      if (pos + n > b.length) throw new IllegalArgumentException("gob: truncated");
      byte[] out = Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    private int next() {
      if (pos >= b.length) throw new IllegalArgumentException("gob: truncated");
      return b[pos++] & 0xff;
    }
  }
}
