package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pointdata.udf.proto.UdfProto.Request;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frame reader on any byte stream, delivered in reads of any size, against a plain reference of
 * the framing: the same frames, then a clean end exactly when the input is whole, otherwise an
 * IOException that says what is wrong; never another exception. Regression mode runs the seeds.
 */
class FrameReaderFuzzTest {
  private static final int MAX_FRAME = 1 << 16;

  @FuzzTest(maxDuration = "2m")
  void readsWholeFramesOrFailsWithAReason(FuzzedDataProvider data) throws IOException {
    long chunking = data.consumeLong();
    byte[] input = data.consumeRemainingAsBytes();
    Reference expected = Reference.split(input);
    FrameReader<Request> reader =
        new FrameReader<>(new ChunkedStream(input, chunking), Request.parser(), MAX_FRAME);
    List<byte[]> frames = new ArrayList<>();
    try {
      for (byte[] frame; (frame = reader.readFrame()) != null; ) frames.add(frame);
      assertTrue(expected.valid, "read to a clean end an input that ends inside a frame");
    } catch (IOException e) {
      assertNotNull(e.getMessage(), "an error without a reason: " + e);
      assertFalse(expected.valid, "refused a valid input: " + e.getMessage());
    }
    assertEquals(expected.frames.size(), frames.size(), "frames read");
    for (int i = 0; i < frames.size(); i++)
      assertArrayEquals(expected.frames.get(i), frames.get(i), "frame " + (i + 1));
  }

  /**
   * The framing as the protocol defines it, written plainly: a uvarint length of at most 10 bytes
   * (a tenth byte over 1 overflows 64 bits), then that many bytes; anything else ends the input.
   */
  private record Reference(List<byte[]> frames, boolean valid) {
    static Reference split(byte[] in) {
      List<byte[]> frames = new ArrayList<>();
      int pos = 0;
      while (pos < in.length) {
        long length = 0;
        int i = 0;
        boolean ended = false;
        while (i < 10 && pos < in.length) {
          int b = in[pos++] & 0xff;
          if (i == 9 && b > 1) return new Reference(frames, false);
          length |= (long) (b & 0x7f) << (7 * i++);
          if (b < 0x80) {
            ended = true;
            break;
          }
        }
        if (!ended)
          return new Reference(frames, false); // EOF in the length, or 10 bytes and more to come
        if (length < 0 || length > MAX_FRAME || length > in.length - pos)
          return new Reference(frames, false);
        frames.add(Arrays.copyOfRange(in, pos, pos + (int) length));
        pos += (int) length;
      }
      return new Reference(frames, true);
    }
  }

  /** Hands out the bytes in reads of sizes taken from the fuzzer's input, down to one byte. */
  private static final class ChunkedStream extends InputStream {
    private final byte[] bytes;
    private long sizes;
    private int pos;

    ChunkedStream(byte[] bytes, long sizes) {
      this.bytes = bytes;
      this.sizes = sizes;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) return 0;
      if (pos >= bytes.length) return -1;
      int chunk = 1 + (int) (sizes & 0xff);
      sizes = Long.rotateRight(sizes, 8);
      int n = Math.min(Math.min(len, chunk), bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
