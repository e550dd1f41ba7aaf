package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto.Request;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
  private static final byte[] INFO = HexFormat.of().parseHex("020a00");
  private static final byte[] KEEPALIVE = HexFormat.of().parseHex("0c1a0a08959a97ece39fe7cb17");

  private static FrameReader<Request> reader(InputStream in) {
    return new FrameReader<>(in, Request.parser(), 1024);
  }

  @Test
  void readsFramesBackToBackThenReturnsNullAtEof() throws IOException {
    FrameReader<Request> frames = reader(new ByteArrayInputStream(concat(INFO, KEEPALIVE, INFO)));
    assertEquals(Request.MessageCase.INFO, frames.read().getMessageCase());
    assertEquals(Request.MessageCase.KEEPALIVE, frames.read().getMessageCase());
    assertEquals(Request.MessageCase.INFO, frames.read().getMessageCase());
    assertNull(frames.read());
    assertEquals(3, frames.framesRead());
  }

  @Test
  void readsFramesDeliveredOneByteAtATime() throws IOException {
    FrameReader<Request> frames = reader(new OneByteAtATime(concat(KEEPALIVE, INFO)));
    assertEquals(1700000000123456789L, frames.read().getKeepalive().getTime());
    assertEquals(Request.MessageCase.INFO, frames.read().getMessageCase());
    assertNull(frames.read());
  }

  @Test
  void readsFrameLargerThanItsInitialBuffer() throws IOException {
    String tag = "x".repeat(200_000);
    Request big =
        Request.newBuilder()
            .setPoint(io.pointdata.udf.proto.UdfProto.Point.newBuilder().putTags("t", tag))
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(out);
    writer.write(big);
    writer.write(big);
    writer.flush();
    FrameReader<Request> frames =
        new FrameReader<>(new OneByteAtATime(out.toByteArray(), 4096), Request.parser(), 1 << 20);
    assertEquals(big, frames.read());
    assertEquals(big, frames.read());
    assertNull(frames.read());
  }

  @Test
  void eofInsideBodyNamesMissingBytes() {
    byte[] truncated =
        java.util.Arrays.copyOf(KEEPALIVE, 6); // header says 12, 5 body bytes present
    FrameException e =
        assertThrows(
            FrameException.class, () -> reader(new ByteArrayInputStream(truncated)).read());
    assertEquals("unexpected EOF in frame 1, expected 7 more bytes", e.getMessage());
  }

  @Test
  void eofInsideHeaderIsAnError() {
    byte[] header = {(byte) 0x80, (byte) 0x80};
    FrameException e =
        assertThrows(FrameException.class, () -> reader(new ByteArrayInputStream(header)).read());
    assertEquals("unexpected EOF in the length of frame 1 after 2 bytes", e.getMessage());
  }

  @Test
  void lengthOverMaximumIsRefusedBeforeReadingTheBody() {
    byte[] header = {(byte) 0x81, 0x08}; // 1025
    FrameException e =
        assertThrows(FrameException.class, () -> reader(new ByteArrayInputStream(header)).read());
    assertEquals("frame 1 declares 1025 bytes, over the maximum of 1024", e.getMessage());
  }

  @Test
  void elevenByteHeaderIsRefused() {
    byte[] header = new byte[11];
    java.util.Arrays.fill(header, (byte) 0x80);
    FrameException e =
        assertThrows(FrameException.class, () -> reader(new ByteArrayInputStream(header)).read());
    assertTrue(e.getMessage().contains("length of frame 1"), e.getMessage());
  }

  @Test
  void garbageBodyIsAnInvalidMessage() {
    byte[] garbage = {0x03, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    FrameException e =
        assertThrows(FrameException.class, () -> reader(new ByteArrayInputStream(garbage)).read());
    assertTrue(e.getMessage().startsWith("frame 1 is not a valid message"), e.getMessage());
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  /** Returns at most {@code chunk} bytes per read, as a pipe under load does. */
  static final class OneByteAtATime extends FilterInputStream {
    private final int chunk;

    OneByteAtATime(byte[] bytes) {
      this(bytes, 1);
    }

    OneByteAtATime(byte[] bytes, int chunk) {
      super(new ByteArrayInputStream(bytes));
      this.chunk = chunk;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, chunk));
    }
  }
}
