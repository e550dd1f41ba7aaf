package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.pointdata.udf.proto.UdfProto;

/**
 * The hand-written point decoder against protobuf-java's generated parser, on any bytes: it must
 * give the same point or decline (null), never a different point, never an exception, and never
 * read past the end it is given; the one exception is a string that is not valid UTF-8, which the
 * decoder accepts (and says so) where the generated parser refuses the point. The same holds for
 * its BeginBatch and EndBatch decoding. Regression mode runs the seeds; see RELIABILITY.md for a
 * fuzzing run.
 *
 * <p>Seeds {@code found-*} are what fuzzing found: 10-byte varints ending in a byte other than 1,
 * which protobuf-java decodes its own way (a tenth byte of 0 is sign-extended), so the decoder now
 * leaves them to it.
 */
class PointDecoderFuzzTest {
  /** A valid name field: read past the end, it would change the point. */
  private static final byte[] TRAP = {0x12, 0x04, 't', 'r', 'a', 'p'};

  private final PointDecoder decoder = new PointDecoder();

  @FuzzTest(maxDuration = "2m")
  void decodesAsTheGeneratedParserOrDeclines(FuzzedDataProvider data) {
    int before = data.consumeInt(0, 7);
    byte[] point = data.consumeRemainingAsBytes();
    byte[] framed = new byte[before + point.length + TRAP.length];
    System.arraycopy(point, 0, framed, before, point.length);
    System.arraycopy(TRAP, 0, framed, before + point.length, TRAP.length);

    UdfProto.Point decoded = decoder.decode(framed, before, before + point.length);
    if (decoded == null) return;
    UdfProto.Point expected;
    try {
      expected = UdfProto.Point.parseFrom(point);
    } catch (InvalidProtocolBufferException e) {
      // Invalid UTF-8 is the one thing the decoder accepts and the generated parser refuses.
      if (!decoder.hadInvalidUtf8() || !e.getMessage().contains("UTF-8")) {
        fail("decoded a point the generated parser refuses (" + e.getMessage() + "): " + decoded);
      }
      return;
    }
    assertFalse(decoder.hadInvalidUtf8(), "valid UTF-8 taken for invalid");
    assertEquals(expected, decoded);
    // Again, with the strings now in the cache.
    assertEquals(expected, decoder.decode(framed, before, before + point.length));
  }

  /** The same oracle for a BeginBatch and an EndBatch, both tried on the same bytes. */
  @FuzzTest(maxDuration = "2m")
  void decodesBatchEndsAsTheGeneratedParserOrDeclines(FuzzedDataProvider data) {
    int before = data.consumeInt(0, 7);
    byte[] message = data.consumeRemainingAsBytes();
    byte[] framed = new byte[before + message.length + TRAP.length];
    System.arraycopy(message, 0, framed, before, message.length);
    System.arraycopy(TRAP, 0, framed, before + message.length, TRAP.length);
    int end = before + message.length;

    agrees(decoder.decodeBeginBatch(framed, before, end), message, UdfProto.BeginBatch.parser());
    agrees(decoder.decodeEndBatch(framed, before, end), message, UdfProto.EndBatch.parser());
  }

  /** The decoder declined, or gave what the generated parser gives, or met invalid UTF-8. */
  private <T> void agrees(T decoded, byte[] message, Parser<T> parser) {
    if (decoded == null) return;
    T expected;
    try {
      expected = parser.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      if (!decoder.hadInvalidUtf8() || !e.getMessage().contains("UTF-8")) {
        fail("decoded a message the generated parser refuses (" + e.getMessage() + "): " + decoded);
      }
      return;
    }
    assertFalse(decoder.hadInvalidUtf8(), "valid UTF-8 taken for invalid");
    assertEquals(expected, decoded);
  }
}
