package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link SnapshotFormat#ofValues}: simple state written as typed values by the library. */
class SnapshotValuesTest {
  /** Every kind of value the writer takes. */
  record Everything(int i, long l, double d, boolean b, String s, double[] ds) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Everything e
          && i == e.i
          && l == e.l
          && Double.compare(d, e.d) == 0
          && b == e.b
          && s.equals(e.s)
          && Arrays.equals(ds, e.ds);
    }

    @Override
    public int hashCode() {
      return i;
    }
  }

  static final SnapshotFormat<Everything> EVERYTHING =
      SnapshotFormat.ofValues(
          1,
          (e, out) ->
              out.putInt(e.i)
                  .putLong(e.l)
                  .putDouble(e.d)
                  .putBoolean(e.b)
                  .putString(e.s)
                  .putDoubles(e.ds),
          in ->
              new Everything(
                  in.getInt(),
                  in.getLong(),
                  in.getDouble(),
                  in.getBoolean(),
                  in.getString(),
                  in.getDoubles()));

  /** A running average in version 1; version 2 adds a count. */
  record Average(double value, long count) {}

  static final SnapshotFormat<Double> AVERAGE_V1 =
      SnapshotFormat.ofValues(1, (a, out) -> out.putDouble(a), SnapshotReader::getDouble);
  static final SnapshotFormat<Average> AVERAGE_V2 =
      SnapshotFormat.<Average>ofValues(
              2,
              (a, out) -> out.putDouble(a.value).putLong(a.count),
              in -> new Average(in.getDouble(), in.getLong()))
          .migrateValuesFrom(1, in -> new Average(in.getDouble(), 0));

  @Test
  void roundTripsEveryKindOfValue() {
    Everything e =
        new Everything(
            -7, Long.MIN_VALUE, 0.1, true, "grüße, 温度", new double[] {1.5, -2.25, 1e300});
    assertEquals(e, EVERYTHING.read(EVERYTHING.write(e)));
  }

  @Test
  void keepsTheExactBitsOfDoubles() {
    double nan = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
    Everything e =
        new Everything(
            0, 0, -0.0, false, "", new double[] {nan, Double.NEGATIVE_INFINITY, Double.MIN_VALUE});
    Everything back = EVERYTHING.read(EVERYTHING.write(e));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.d));
    assertEquals(0x7ff8_0000_dead_beefL, Double.doubleToRawLongBits(back.ds[0]));
    assertArrayEquals(e.ds, back.ds);
  }

  @Test
  void roundTripsEmptyStringAndArray() {
    Everything e = new Everything(1, 2, 3, false, "", new double[0]);
    assertEquals(e, EVERYTHING.read(EVERYTHING.write(e)));
  }

  @Test
  void layoutIsFormatHeaderThenLayoutVersionThenTypedBigEndianValues() {
    SnapshotFormat<Integer> ints =
        SnapshotFormat.ofValues(3, (n, out) -> out.putInt(n), SnapshotReader::getInt);
    assertArrayEquals(
        new byte[] {'U', 'D', 'F', 'S', 0, 0, 0, 3, 1, 'I', 0, 0, 1, 2}, ints.write(258));
  }

  @Test
  void valueReadAsAnotherTypeIsRefusedNamingIt() {
    SnapshotFormat<Average> wrongOrder =
        SnapshotFormat.ofValues(2, (a, out) -> {}, in -> new Average(0, in.getLong()));
    UdfException e =
        assertThrows(
            UdfException.class, () -> wrongOrder.read(AVERAGE_V2.write(new Average(1.5, 2))));
    assertEquals("snapshot value 1 is a double, read as a long", e.getMessage());
  }

  @Test
  void readingPastTheLastValueIsRefused() {
    SnapshotFormat<Average> readsMore =
        SnapshotFormat.ofValues(1, (a, out) -> {}, in -> new Average(in.getDouble(), in.getLong()));
    UdfException e = assertThrows(UdfException.class, () -> readsMore.read(AVERAGE_V1.write(1.5)));
    assertEquals("the snapshot ends before value 2 (a long)", e.getMessage());
  }

  @Test
  void valuesLeftUnreadAreRefused() {
    SnapshotFormat<Double> readsLess =
        SnapshotFormat.ofValues(2, (a, out) -> {}, SnapshotReader::getDouble);
    UdfException e =
        assertThrows(
            UdfException.class, () -> readsLess.read(AVERAGE_V2.write(new Average(1.5, 2))));
    assertEquals(
        "the snapshot has 9 bytes left after the 1 values read: it holds more than this UDF reads",
        e.getMessage());
  }

  @Test
  void truncatedValueIsRefusedAsCorrupt() {
    byte[] whole = EVERYTHING.write(new Everything(1, 2, 3, true, "abc", new double[] {1, 2}));
    byte[] cut = Arrays.copyOf(whole, whole.length - 4);
    UdfException e = assertThrows(UdfException.class, () -> EVERYTHING.read(cut));
    assertEquals(
        "the snapshot is corrupt: value 6 is an array of doubles of 2 elements, with 12 bytes left",
        e.getMessage());
  }

  @Test
  void newerLayoutVersionIsRefusedClearly() {
    byte[] snapshot = AVERAGE_V1.write(1.5);
    snapshot[8] = 2; // the layout version, right after the format's 8-byte header
    UdfException e = assertThrows(UdfException.class, () -> AVERAGE_V1.read(snapshot));
    assertEquals(
        "the snapshot's values have layout version 2, newer than this library reads (1); upgrade"
            + " the UDF's udf-agent-core",
        e.getMessage());
  }

  @Test
  void olderStateVersionIsMigratedByItsValuesReader() {
    assertEquals(new Average(2.5, 0), AVERAGE_V2.read(AVERAGE_V1.write(2.5)));
    assertEquals(new Average(2.5, 4), AVERAGE_V2.read(AVERAGE_V2.write(new Average(2.5, 4))));
  }

  @Test
  void newerStateVersionIsRefusedByTheFormatHeader() {
    UdfException e =
        assertThrows(
            UdfException.class, () -> AVERAGE_V1.read(AVERAGE_V2.write(new Average(1, 1))));
    assertEquals(
        "snapshot version 2 is newer than this UDF reads (1); upgrade the UDF", e.getMessage());
  }

  @Test
  void groupStateWritesEachGroupWithTheValuesFormat() {
    GroupState<Average> before = GroupState.<Average>builder().maxGroups(10).build();
    before.put("host=a", 10, new Average(1.5, 3));
    before.put("host=b", 20, new Average(-4, 1));
    GroupState<Average> after = GroupState.<Average>builder().maxGroups(10).build();
    after.restore(before.toSnapshot(AVERAGE_V2), AVERAGE_V2);
    assertEquals(new Average(1.5, 3), after.getIfPresent("host=a"));
    assertEquals(new Average(-4, 1), after.getIfPresent("host=b"));
    assertEquals(20, after.time());
  }

  @Test
  void mismatchedValuesGiveAFailedRestoreAndTheSessionGoesOn() throws Exception {
    Udf udf =
        new Udf() {
          Average state = new Average(0, 0);

          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().build();
          }

          @Override
          public void restore(byte[] snapshot) {
            state = AVERAGE_V2.read(snapshot);
          }
        };
    byte[] wrongTypes =
        SnapshotFormat.<Average>ofValues(
                2, (a, out) -> out.putLong(a.count).putDouble(a.value), in -> null)
            .write(new Average(1.5, 3));
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.send(
          UdfProto.Request.newBuilder()
              .setRestore(
                  UdfProto.RestoreRequest.newBuilder().setSnapshot(ByteString.copyFrom(wrongTypes)))
              .build());
      UdfProto.RestoreResponse restore = wire.take(MessageCase.RESTORE).getRestore();
      assertFalse(restore.getSuccess(), "Restore accepted");
      assertEquals("snapshot value 1 is a long, read as a double", restore.getError());
      wire.info().take(MessageCase.INFO); // the session goes on
    }
  }
}
