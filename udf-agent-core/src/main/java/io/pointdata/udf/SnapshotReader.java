package io.pointdata.udf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads back, in the order they were written, the values a {@link SnapshotWriter} wrote, for {@link
 * SnapshotFormat#ofValues}.
 *
 * <p>Every read checks the value's type and that the bytes hold it; a failed check throws a {@link
 * UdfException} naming the value (counted from 1), which from {@link Udf#restore} refuses the
 * snapshot with that message. Values left unread at the end refuse it too, since a reader that
 * stops early has most likely misread the state. Not thread-safe; valid only during the read call
 * that gets it.
 */
public final class SnapshotReader {
  private final ByteBuffer in;

  /** How many values were read, for messages. */
  private int valuesRead;

  /**
   * A reader of a {@link SnapshotWriter}'s bytes.
   *
   * @throws UdfException if the bytes are empty or have another layout version
   */
  SnapshotReader(byte[] payload) {
    if (payload.length == 0) throw new UdfException("the snapshot's values are missing (0 bytes)");
    byte layout = payload[0];
    if (layout != SnapshotWriter.LAYOUT_VERSION) {
      throw new UdfException(
          layout > SnapshotWriter.LAYOUT_VERSION
              ? "the snapshot's values have layout version "
                  + layout
                  + ", newer than this library reads ("
                  + SnapshotWriter.LAYOUT_VERSION
                  + "); upgrade the UDF's udf-agent-core"
              : "the snapshot's values have layout version "
                  + layout
                  + ", not one this library reads ("
                  + SnapshotWriter.LAYOUT_VERSION
                  + ")");
    }
    this.in = ByteBuffer.wrap(payload, 1, payload.length - 1).slice();
  }

  public int getInt() {
    next(SnapshotWriter.INT, "an int", Integer.BYTES);
    return in.getInt();
  }

  public long getLong() {
    next(SnapshotWriter.LONG, "a long", Long.BYTES);
    return in.getLong();
  }

  public double getDouble() {
    next(SnapshotWriter.DOUBLE, "a double", Double.BYTES);
    return Double.longBitsToDouble(in.getLong());
  }

  public boolean getBoolean() {
    next(SnapshotWriter.BOOLEAN, "a boolean", 1);
    byte b = in.get();
    if (b != 0 && b != 1) throw corrupt("is a boolean of byte " + b + ", neither 0 nor 1");
    return b == 1;
  }

  public String getString() {
    next(SnapshotWriter.STRING, "a string", Integer.BYTES);
    int n = length("a string", 1);
    byte[] utf8 = new byte[n];
    in.get(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  public double[] getDoubles() {
    next(SnapshotWriter.DOUBLES, "an array of doubles", Integer.BYTES);
    double[] values = new double[length("an array of doubles", Double.BYTES)];
    for (int i = 0; i < values.length; i++) values[i] = Double.longBitsToDouble(in.getLong());
    return values;
  }

  /**
   * @throws UdfException if values are left unread
   */
  void finish() {
    if (in.hasRemaining()) {
      throw new UdfException(
          "the snapshot has "
              + in.remaining()
              + " bytes left after the "
              + valuesRead
              + " values read: it holds more than this UDF reads");
    }
  }

  /** Checks the next value's type and that {@code bytes} of it follow, and counts it. */
  private void next(byte type, String what, int bytes) {
    valuesRead++;
    if (!in.hasRemaining())
      throw new UdfException("the snapshot ends before value " + valuesRead + " (" + what + ")");
    byte found = in.get();
    if (found != type)
      throw new UdfException(
          "snapshot value " + valuesRead + " is " + typeName(found) + ", read as " + what);
    if (in.remaining() < bytes) throw corrupt("is cut short");
  }

  /** Reads a length and checks that that many elements of {@code size} bytes follow. */
  private int length(String what, int size) {
    int n = in.getInt();
    if (n < 0 || (long) n * size > in.remaining()) {
      throw corrupt(
          "is " + what + " of " + n + " elements, with " + in.remaining() + " bytes left");
    }
    return n;
  }

  private UdfException corrupt(String problem) {
    return new UdfException("the snapshot is corrupt: value " + valuesRead + " " + problem);
  }

  private static String typeName(byte type) {
    return switch (type) {
      case SnapshotWriter.INT -> "an int";
      case SnapshotWriter.LONG -> "a long";
      case SnapshotWriter.DOUBLE -> "a double";
      case SnapshotWriter.BOOLEAN -> "a boolean";
      case SnapshotWriter.STRING -> "a string";
      case SnapshotWriter.DOUBLES -> "an array of doubles";
      default -> "of unknown type " + (type & 0xff);
    };
  }
}
