package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SnapshotFormatTest {
  /** Version 1 stored a count as text; version 2 stores "count;label". */
  private static final SnapshotFormat<String> V1 =
      SnapshotFormat.of(
          1, s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));

  private static final SnapshotFormat<String> V2 =
      SnapshotFormat.of(2, s -> s.getBytes(StandardCharsets.UTF_8), SnapshotFormatTest::decodeV2)
          .migrateFrom(1, b -> new String(b, StandardCharsets.UTF_8) + ";migrated");

  private static String decodeV2(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    if (!s.contains(";")) throw new IllegalArgumentException("no label");
    return s;
  }

  @Test
  void roundTripsTheCurrentVersion() {
    assertEquals("7;x", V2.read(V2.write("7;x")));
  }

  @Test
  void olderVersionIsMigrated() {
    assertEquals("7;migrated", V2.read(V1.write("7")));
  }

  @Test
  void newerVersionIsRefusedClearly() {
    UdfException e = assertThrows(UdfException.class, () -> V1.read(V2.write("7;x")));
    assertEquals(
        "snapshot version 2 is newer than this UDF reads (1); upgrade the UDF", e.getMessage());
  }

  @Test
  void olderVersionWithoutMigrationIsRefusedClearly() {
    SnapshotFormat<String> v3 = SnapshotFormat.of(3, s -> new byte[0], b -> "");
    UdfException e = assertThrows(UdfException.class, () -> v3.read(V1.write("7")));
    assertEquals(
        "snapshot version 1 is older than this UDF reads [3] and has no migration", e.getMessage());
  }

  @Test
  void bytesWithoutHeaderAreRefused() {
    UdfException e =
        assertThrows(UdfException.class, () -> V2.read("7;x".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("has no version header"), e.getMessage());
  }

  @Test
  void decoderFailureIsWrappedWithTheVersion() {
    byte[] bad = V2.write("nolabel");
    UdfException e = assertThrows(UdfException.class, () -> V2.read(bad));
    assertEquals(
        "snapshot version 2 could not be read: java.lang.IllegalArgumentException: no label",
        e.getMessage());
  }

  @Test
  void headerIsMagicThenBigEndianVersion() {
    assertArrayEquals(new byte[] {'U', 'D', 'F', 'S', 0, 0, 0, 2, 'a'}, V2.write("a"));
  }

  @Test
  void restoringANewerSnapshotGivesAFailedRestoreNotACrash() throws Exception {
    Udf udf =
        new Udf() {
          String state = "";

          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().build();
          }

          @Override
          public byte[] snapshot() {
            return V1.write(state);
          }

          @Override
          public void restore(byte[] snapshot) {
            state = V1.read(snapshot);
          }
        };
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.send(
          UdfProto.Request.newBuilder()
              .setRestore(
                  UdfProto.RestoreRequest.newBuilder()
                      .setSnapshot(ByteString.copyFrom(V2.write("9;x"))))
              .build());
      UdfProto.RestoreResponse restore = wire.take(MessageCase.RESTORE).getRestore();
      assertFalse(restore.getSuccess(), "Restore accepted");
      assertEquals(
          "snapshot version 2 is newer than this UDF reads (1); upgrade the UDF",
          restore.getError());
      wire.info().take(MessageCase.INFO); // the session goes on
    }
  }
}
