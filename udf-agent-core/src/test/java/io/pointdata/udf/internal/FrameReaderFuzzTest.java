package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.CodedOutputStream;
import io.pointdata.udf.proto.UdfProto.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The frame reader on any byte stream, delivered in reads of any size: every frame it returns is
 * exactly the next length-prefixed frame of the input, and it ends with a clean end of input or an
 * IOException that says what is wrong, never another exception. Regression mode runs the seeds.
 */
class FrameReaderFuzzTest {
  private static final int MAX_FRAME = 1 << 16;

  @FuzzTest(maxDuration = "2m")
  void readsWholeFramesOrFailsWithAReason(FuzzedDataProvider data) throws IOException {
    long chunking = data.consumeLong();
    byte[] input = data.consumeRemainingAsBytes();
    FrameReader<Request> reader = new FrameReader<>(new ChunkedStream(input, chunking), Request.parser(), MAX_FRAME);
    ByteArrayOutputStream reframed = new ByteArrayOutputStream();
    try {
      for (byte[] frame; (frame = reader.readFrame()) != null; ) {
        assertTrue(frame.length <= MAX_FRAME, "a frame over the maximum: " + frame.length);
        CodedOutputStream out = CodedOutputStream.newInstance(reframed);
        out.writeUInt32NoTag(frame.length);
        out.flush();
        reframed.write(frame);
      }
      assertArrayEquals(input, reframed.toByteArray(), "a clean end must come after the whole input");
    } catch (IOException e) {
      assertNotNull(e.getMessage(), "an error without a reason: " + e);
      byte[] read = reframed.toByteArray();
      assertArrayEquals(Arrays.copyOf(input, read.length), read, "the frames before the error");
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
