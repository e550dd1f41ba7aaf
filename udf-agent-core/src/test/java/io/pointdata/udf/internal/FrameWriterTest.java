package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointdata.udf.proto.UdfProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameWriterTest {

  @Test
  void writesGoldenFramesByteForByte() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(out);
    writer.write(
        UdfProto.Response.newBuilder()
            .setInit(UdfProto.InitResponse.newBuilder().setSuccess(true))
            .build());
    writer.write(
        UdfProto.Response.newBuilder()
            .setKeepalive(UdfProto.KeepaliveResponse.newBuilder().setTime(1700000000123456789L))
            .build());
    writer.write(
        UdfProto.Response.newBuilder()
            .setSnapshot(UdfProto.SnapshotResponse.getDefaultInstance())
            .build());
    writer.flush();
    // resp_init_ok, resp_keepalive, resp_snapshot_empty
    assertEquals(
        "0412020801" + "0c1a0a08959a97ece39fe7cb17" + "022200",
        HexFormat.of().formatHex(out.toByteArray()));
  }

  @Test
  void buffersFramesUntilFlushThenWritesThemInOneCall() throws IOException {
    CountingStream out = new CountingStream();
    FrameWriter writer = new FrameWriter(out);
    for (int i = 0; i < 100; i++) {
      writer.write(
          UdfProto.Response.newBuilder().setPoint(UdfProto.Point.newBuilder().setTime(i)).build());
    }
    assertEquals(0, out.writes, "nothing written before flush");
    writer.flush();
    assertEquals(1, out.writes);
    assertEquals(1, out.flushes);
    assertEquals(100, writer.framesWritten());
  }

  @Test
  void largeMessageUsesMultiByteLength() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(out, 16);
    UdfProto.Response big =
        UdfProto.Response.newBuilder()
            .setError(UdfProto.ErrorResponse.newBuilder().setError("e".repeat(300)))
            .build();
    writer.write(big);
    writer.flush();
    byte[] bytes = out.toByteArray();
    int size = big.getSerializedSize();
    assertArrayEquals(
        new byte[] {(byte) (0x80 | (size & 0x7f)), (byte) (size >>> 7)},
        new byte[] {bytes[0], bytes[1]});
    assertEquals(size + 2, bytes.length);
  }

  private static final class CountingStream extends OutputStream {
    int writes;
    int flushes;

    @Override
    public void write(int b) {
      writes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writes++;
    }

    @Override
    public void flush() {
      flushes++;
    }
  }
}
