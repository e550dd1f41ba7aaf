package io.pointdata.udf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a simple state as a sequence of typed values, for {@link SnapshotFormat#ofValues}: ints,
 * longs, doubles, booleans, strings and arrays of doubles, read back in the same order by a {@link
 * SnapshotReader}.
 *
 * <pre>{@code
 * static final SnapshotFormat<Window> FORMAT = SnapshotFormat.ofValues(1,
 *     (window, out) -> out.putInt(window.size).putDouble(window.average).putDoubles(window.values()),
 *     in -> new Window(in.getInt(), in.getDouble(), in.getDoubles()));
 * }</pre>
 *
 * <p>Each value is written with its type, so reading a value as another type fails with a message
 * naming it instead of misreading bytes. Doubles keep their exact bits (NaN, -0.0). The layout of
 * the values is the library's and has a version of its own, checked on reading; the state's version
 * is the {@link SnapshotFormat}'s. Not thread-safe; valid only during the write call that gets it.
 */
public final class SnapshotWriter {
  /** The version of the values layout, the first byte of every payload. */
  static final byte LAYOUT_VERSION = 1;

  static final byte INT = 'I';
  static final byte LONG = 'L';
  static final byte DOUBLE = 'D';
  static final byte BOOLEAN = 'Z';
  static final byte STRING = 'S';
  static final byte DOUBLES = 'A';

  private byte[] bytes = new byte[64];
  private int length;

  SnapshotWriter() {
    bytes[length++] = LAYOUT_VERSION;
  }

  public SnapshotWriter putInt(int value) {
    room(1 + Integer.BYTES).put(INT).putInt(value);
    return this;
  }

  public SnapshotWriter putLong(long value) {
    room(1 + Long.BYTES).put(LONG).putLong(value);
    return this;
  }

  public SnapshotWriter putDouble(double value) {
    room(1 + Double.BYTES).put(DOUBLE).putLong(Double.doubleToRawLongBits(value));
    return this;
  }

  public SnapshotWriter putBoolean(boolean value) {
    room(2).put(BOOLEAN).put((byte) (value ? 1 : 0));
    return this;
  }

  /**
   * Writes a string as UTF-8; a string with unpaired surrogates comes back with '?' in their place.
   */
  public SnapshotWriter putString(String value) {
    Objects.requireNonNull(value, "value == null");
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    room(1 + Integer.BYTES + utf8.length).put(STRING).putInt(utf8.length).put(utf8);
    return this;
  }

  /** Writes the whole array, its length first. */
  public SnapshotWriter putDoubles(double[] values) {
    Objects.requireNonNull(values, "values == null");
    ByteBuffer out =
        room(1 + Integer.BYTES + (long) values.length * Double.BYTES)
            .put(DOUBLES)
            .putInt(values.length);
    for (double v : values) out.putLong(Double.doubleToRawLongBits(v));
    return this;
  }

  /** The bytes written so far. */
  byte[] toByteArray() {
    return Arrays.copyOf(bytes, length);
  }

  /** A buffer over the next {@code n} bytes, which it counts as written. */
  private ByteBuffer room(long n) {
    if (length + n > Integer.MAX_VALUE - 8) {
      throw new UdfException(
          "the snapshot would be over "
              + (Integer.MAX_VALUE - 8)
              + " bytes, more than a byte array holds");
    }
    int needed = (int) (length + n);
    if (needed > bytes.length) {
      bytes =
          Arrays.copyOf(
              bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * bytes.length)));
    }
    ByteBuffer out = ByteBuffer.wrap(bytes, length, (int) n);
    length = needed;
    return out;
  }
}
