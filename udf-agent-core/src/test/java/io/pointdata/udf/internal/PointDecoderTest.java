package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PointDecoderTest {
  private final PointDecoder decoder = new PointDecoder();

  @Test
  void decodesEveryGoldenRequestPointAsTheGeneratedParserDoes() throws Exception {
    int points = 0;
    for (String name :
        List.of(
            "req_point_stream_all_field_types",
            "req_point_byname_dims",
            "req_point_byname_nodims",
            "req_point_negative_time_long_tag",
            "req_batch_point",
            "stream_requests")) {
      byte[] frames = golden("/golden/wire/" + name + ".hex");
      FrameReader<Request> reader =
          new FrameReader<>(new ByteArrayInputStream(frames), Request.parser(), 1 << 20);
      for (byte[] frame; (frame = reader.readFrame()) != null; ) {
        Request expected = Request.parseFrom(frame);
        if (expected.getMessageCase() != Request.MessageCase.POINT) continue;
        byte[] point = expected.getPoint().toByteArray();
        assertEquals(expected.getPoint(), decoder.decode(point, 0, point.length), name);
        points++;
      }
    }
    assertTrue(points >= 6, "golden points decoded: " + points);
  }

  @Test
  void decodesRandomPointsAsTheGeneratedParserDoes() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      UdfProto.Point point = randomPoint(random);
      byte[] bytes = point.toByteArray();
      // Decode twice: the second time strings come from the cache.
      assertEquals(point, decoder.decode(bytes, 0, bytes.length));
      assertEquals(point, decoder.decode(bytes, 0, bytes.length));
    }
  }

  @Test
  void decodesAPointInsideALargerArray() {
    UdfProto.Point point =
        UdfProto.Point.newBuilder().setName("cpu").putFieldsDouble("t", 1.5).build();
    byte[] request = Request.newBuilder().setPoint(point).build().toByteArray();
    int at = 3; // 8a 01 <one-byte length>
    assertEquals(point, decoder.decode(request, at, request.length));
  }

  @Test
  void leavesAnUnknownFieldToTheGeneratedParser() throws IOException {
    byte[] bytes =
        encode(
            out -> {
              out.writeString(2, "cpu");
              out.writeString(13, "from a later version");
            });
    assertNull(decoder.decode(bytes, 0, bytes.length));
    assertNotNull(
        UdfProto.Point.parseFrom(bytes), "the generated parser keeps it as an unknown field");
  }

  @Test
  void decodesInvalidUtf8WithReplacementCharactersAndSaysSo() throws IOException {
    byte[] bytes =
        encode(
            out -> {
              out.writeByteArray(2, new byte[] {'c', (byte) 0xc3, 'x'});
              out.writeByteArray(7, tagEntry());
            });
    UdfProto.Point point = decoder.decode(bytes, 0, bytes.length);
    assertEquals("c\uFFFDx", point.getName());
    assertEquals("\uFFFD\uFFFD", point.getTagsOrThrow("host"));
    assertTrue(decoder.hadInvalidUtf8(), "the invalid UTF-8 is not reported");
    assertThrows(
        InvalidProtocolBufferException.class,
        () -> UdfProto.Point.parseFrom(bytes),
        "the generated parser refuses it");
    // The same bytes again come from the cache of strings no more than the first time.
    assertEquals("c\uFFFDx", decoder.decode(bytes, 0, bytes.length).getName());
    assertTrue(decoder.hadInvalidUtf8(), "the invalid UTF-8 is not reported");
  }

  @Test
  void aReplacementCharacterSentAsValidUtf8IsNotInvalid() {
    UdfProto.Point sent = UdfProto.Point.newBuilder().setName("a\uFFFDb").build();
    byte[] bytes = sent.toByteArray();
    assertEquals(sent, decoder.decode(bytes, 0, bytes.length));
    assertFalse(decoder.hadInvalidUtf8(), "valid UTF-8 reported as invalid");
  }

  /** A tags entry {host: ff fe}. */
  private static byte[] tagEntry() throws IOException {
    return encode(
        out -> {
          out.writeString(1, "host");
          out.writeByteArray(2, new byte[] {(byte) 0xff, (byte) 0xfe});
        });
  }

  @Test
  void leavesATruncatedPointToTheGeneratedParser() {
    byte[] bytes =
        UdfProto.Point.newBuilder().setName("cpu").putTags("host", "a").build().toByteArray();
    for (int end = 1; end < bytes.length; end++) {
      UdfProto.Point decoded = decoder.decode(bytes, 0, end);
      if (decoded != null) {
        // Only a cut between fields leaves a valid point, and then the generated parser agrees.
        assertEquals(parseOrNull(bytes, end), decoded, "cut at " + end);
      }
    }
  }

  @Test
  void readsAStringLongerThanTheCacheHolds() {
    String longTag = "x".repeat(200) + "é";
    UdfProto.Point point = UdfProto.Point.newBuilder().putTags("long", longTag).build();
    byte[] bytes = point.toByteArray();
    assertEquals(longTag, decoder.decode(bytes, 0, bytes.length).getTagsOrThrow("long"));
  }

  @Test
  void decodesTheGoldenBatchEndsAsTheGeneratedParserDoes() throws Exception {
    Request begin = Request.parseFrom(frameBody("req_begin_batch"));
    byte[] beginBytes = begin.getBegin().toByteArray();
    assertEquals(begin.getBegin(), decoder.decodeBeginBatch(beginBytes, 0, beginBytes.length));
    assertFalse(decoder.hadInvalidUtf8(), "valid UTF-8 reported as invalid");
    Request end = Request.parseFrom(frameBody("req_end_batch"));
    byte[] endBytes = end.getEnd().toByteArray();
    assertEquals(end.getEnd(), decoder.decodeEndBatch(endBytes, 0, endBytes.length));
    assertFalse(decoder.hadInvalidUtf8(), "valid UTF-8 reported as invalid");
  }

  @Test
  void decodesRandomBatchEndsAsTheGeneratedParserDoes() {
    Random random = new Random(43);
    for (int i = 0; i < 500; i++) {
      UdfProto.BeginBatch.Builder begin =
          UdfProto.BeginBatch.newBuilder()
              .setName(word(random))
              .setGroup(word(random))
              .setSize(random.nextBoolean() ? random.nextLong() : random.nextInt(1000))
              .setByName(random.nextBoolean());
      UdfProto.EndBatch.Builder end =
          UdfProto.EndBatch.newBuilder()
              .setName(word(random))
              .setGroup(word(random))
              .setTmax(random.nextLong())
              .setByName(random.nextBoolean());
      for (int t = random.nextInt(4); t > 0; t--) {
        begin.putTags(word(random), word(random));
        end.putTags(word(random), word(random));
      }
      byte[] beginBytes = begin.build().toByteArray();
      byte[] endBytes = end.build().toByteArray();
      assertEquals(begin.build(), decoder.decodeBeginBatch(beginBytes, 0, beginBytes.length));
      assertEquals(end.build(), decoder.decodeEndBatch(endBytes, 0, endBytes.length));
    }
  }

  @Test
  void decodesInvalidUtf8InABatchsEndsWithReplacementCharactersAndSaysSo() throws IOException {
    byte[] bad = {'b', (byte) 0xff, 'd'};
    byte[] begin =
        encode(
            out -> {
              out.writeByteArray(1, bad); // name
              out.writeByteArray(2, bad); // group
              out.writeByteArray(3, tagEntry()); // tags
              out.writeInt64(4, 2); // size
            });
    UdfProto.BeginBatch decodedBegin = decoder.decodeBeginBatch(begin, 0, begin.length);
    assertTrue(decoder.hadInvalidUtf8(), "the invalid UTF-8 is not reported");
    assertEquals(
        UdfProto.BeginBatch.newBuilder()
            .setName("b\uFFFDd")
            .setGroup("b\uFFFDd")
            .putTags("host", "\uFFFD\uFFFD")
            .setSize(2)
            .build(),
        decodedBegin);
    assertThrows(InvalidProtocolBufferException.class, () -> UdfProto.BeginBatch.parseFrom(begin));

    byte[] end =
        encode(
            out -> {
              out.writeByteArray(1, bad); // name
              out.writeByteArray(2, bad); // group
              out.writeInt64(3, 42); // tmax
              out.writeByteArray(4, tagEntry()); // tags
            });
    UdfProto.EndBatch decodedEnd = decoder.decodeEndBatch(end, 0, end.length);
    assertTrue(decoder.hadInvalidUtf8(), "the invalid UTF-8 is not reported");
    assertEquals(
        UdfProto.EndBatch.newBuilder()
            .setName("b\uFFFDd")
            .setGroup("b\uFFFDd")
            .setTmax(42)
            .putTags("host", "\uFFFD\uFFFD")
            .build(),
        decodedEnd);
    assertThrows(InvalidProtocolBufferException.class, () -> UdfProto.EndBatch.parseFrom(end));

    byte[] valid = UdfProto.EndBatch.newBuilder().setName("cpu").build().toByteArray();
    assertNotNull(decoder.decodeEndBatch(valid, 0, valid.length));
    assertFalse(decoder.hadInvalidUtf8(), "reset by the next message");
  }

  @Test
  void declinesABatchEndInAnotherLayout() throws IOException {
    byte[] begin =
        UdfProto.BeginBatch.newBuilder()
            .setName("cpu")
            .putTags("host", "a")
            .setSize(3)
            .build()
            .toByteArray();
    for (int end = 1; end < begin.length; end++) {
      UdfProto.BeginBatch decoded = decoder.decodeBeginBatch(begin, 0, end);
      if (decoded != null) {
        UdfProto.BeginBatch parsed = UdfProto.BeginBatch.parseFrom(Arrays.copyOf(begin, end));
        assertEquals(parsed, decoded, "only a cut between fields is a message: " + end);
      }
    }
    byte[] sizeAsString = encode(out -> out.writeString(4, "2")); // size: wire type 2, not 0
    assertNull(decoder.decodeBeginBatch(sizeAsString, 0, sizeAsString.length));
    byte[] unknownField = encode(out -> out.writeString(9, "later"));
    assertNull(decoder.decodeEndBatch(unknownField, 0, unknownField.length));
    // EndBatch's tags are field 4, BeginBatch's size: neither reads the other's layout.
    byte[] endTags = encode(out -> out.writeByteArray(4, tagEntry()));
    assertNotNull(decoder.decodeEndBatch(endTags, 0, endTags.length));
    assertNull(decoder.decodeBeginBatch(endTags, 0, endTags.length));
  }

  /** The message of a golden frame holding one request: its bytes after the length prefix. */
  private static byte[] frameBody(String name) throws IOException {
    byte[] frame = golden("/golden/wire/" + name + ".hex");
    return Arrays.copyOfRange(frame, 1, frame.length); // one-byte length prefix
  }

  private static UdfProto.Point parseOrNull(byte[] bytes, int end) {
    try {
      return UdfProto.Point.parseFrom(java.util.Arrays.copyOf(bytes, end));
    } catch (IOException e) {
      return null;
    }
  }

  private static UdfProto.Point randomPoint(Random random) {
    UdfProto.Point.Builder point =
        UdfProto.Point.newBuilder()
            .setTime(random.nextBoolean() ? random.nextLong() : random.nextInt(1000))
            .setName(word(random))
            .setByName(random.nextBoolean());
    if (random.nextBoolean()) point.setDatabase(word(random)).setRetentionPolicy(word(random));
    if (random.nextBoolean()) point.setGroup(word(random) + "=" + word(random));
    for (int i = random.nextInt(3); i > 0; i--) point.addDimensions(word(random));
    for (int i = random.nextInt(4); i > 0; i--) point.putTags(word(random), word(random));
    for (int i = random.nextInt(45); i > 0; i--)
      point.putFieldsDouble(word(random), random.nextGaussian() * 1e6);
    for (int i = random.nextInt(3); i > 0; i--) point.putFieldsInt(word(random), random.nextLong());
    for (int i = random.nextInt(3); i > 0; i--) point.putFieldsString(word(random), word(random));
    for (int i = random.nextInt(3); i > 0; i--)
      point.putFieldsBool(word(random), random.nextBoolean());
    return point.build();
  }

  /**
   * Short words from a small alphabet, so that strings repeat, with the occasional empty or
   * non-ASCII one.
   */
  private static String word(Random random) {
    String[] words = {
      "", "host", "temperature", "ia_telegraf", "point_data", "zäh", "温度", "emoji😀", "a", "b"
    };
    return random.nextInt(5) == 0 ? "w" + random.nextInt(100) : words[random.nextInt(words.length)];
  }

  private interface Writes {
    void to(CodedOutputStream out) throws IOException;
  }

  private static byte[] encode(Writes writes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writes.to(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] golden(String resource) throws IOException {
    try (InputStream in = PointDecoderTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      return HexFormat.of()
          .parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    }
  }
}
