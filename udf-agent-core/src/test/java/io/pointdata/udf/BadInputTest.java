package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.pointdata.udf.internal.FrameException;
import io.pointdata.udf.internal.FrameReader;
import io.pointdata.udf.internal.FrameWriter;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Randomised and hand-made bad input, from the frame decoder up through a whole session: every
 * input ends in a clean end or a clear error and a clean close; nothing hangs, nothing escapes.
 * Seeds are fixed so a failure reproduces; the input counts are recorded in RELIABILITY.md.
 */
class BadInputTest {
  static final int RANDOM_FRAMES = 200_000;
  static final int MUTATED_STREAMS = 50_000;
  static final int MUTATED_SESSIONS = 1_000;

  private static byte[] goldenRequests() throws IOException {
    try (InputStream in =
        BadInputTest.class.getResourceAsStream("/golden/wire/stream_requests.hex")) {
      return HexFormat.of().parseHex(new String(in.readAllBytes()).trim());
    }
  }

  /** Reads every frame; returns the number read. Only FrameException may escape. */
  private static int readAll(byte[] bytes) throws FrameException {
    FrameReader<Request> frames =
        new FrameReader<>(new ByteArrayInputStream(bytes), Request.parser(), 4096);
    int n = 0;
    try {
      while (frames.read() != null) n++;
    } catch (FrameException e) {
      throw e;
    } catch (IOException e) {
      fail("only FrameException may come out of the reader, got " + e);
    }
    return n;
  }

  @Test
  void randomBytesEndCleanlyOrWithAFrameException() {
    Random random = new Random(20261129);
    int errors = 0;
    for (int i = 0; i < RANDOM_FRAMES; i++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      try {
        readAll(bytes);
      } catch (FrameException e) {
        errors++;
        assertTrue(
            e.getMessage().startsWith("frame ")
                || e.getMessage().startsWith("unexpected EOF")
                || e.getMessage().startsWith("length of frame"),
            e.getMessage());
      }
    }
    assertTrue(errors > RANDOM_FRAMES / 2, "most random inputs are errors: " + errors);
  }

  @Test
  void mutatedGoldenStreamsEndCleanlyOrWithAFrameException() throws IOException {
    byte[] golden = goldenRequests();
    assertEquals(9, readAll(golden), "the golden stream's frames");
    Random random = new Random(7);
    for (int i = 0; i < MUTATED_STREAMS; i++) {
      byte[] mutated = mutate(golden, random);
      try {
        readAll(mutated);
      } catch (FrameException expected) {
        // a clear error is the other allowed outcome
      }
    }
  }

  @Test
  void everyTruncationOfAValidStreamIsACleanEndOrAnEofError() throws IOException {
    byte[] golden = goldenRequests();
    for (int cut = 0; cut < golden.length; cut++) {
      byte[] prefix = java.util.Arrays.copyOf(golden, cut);
      try {
        readAll(prefix);
      } catch (FrameException e) {
        assertTrue(
            e.getMessage().startsWith("unexpected EOF"), "cut at " + cut + ": " + e.getMessage());
      }
    }
  }

  @Test
  void mutatedSessionsEndWithErrorOrCleanCloseAndNeverHang() throws Exception {
    byte[] golden = goldenRequests();
    Random random = new Random(99);
    int errors = 0;
    for (int i = 0; i < MUTATED_SESSIONS; i++) {
      try (AgentWire wire = AgentWire.start(new UdfAgentTest.Forward())) {
        wire.sendRaw(mutate(golden, random)).closeInput();
        List<Response> responses = wire.takeUntilEof(); // fails the test after 5 s: no hang
        boolean clean = wire.sessionResult(); // fails if serve() threw
        boolean endedWithError =
            !responses.isEmpty() && responses.get(responses.size() - 1).hasError();
        assertTrue(
            clean != endedWithError,
            "session " + i + ": an error response if and only if not clean");
        if (endedWithError) errors++;
        for (Response r : responses)
          assertNotEquals(
              MessageCase.MESSAGE_NOT_SET, r.getMessageCase(), "a response with no message");
      }
    }
    assertTrue(errors > 0, "some mutations are errors");
  }

  /** A point frame whose name, tag key and value and string field hold bytes that are not UTF-8. */
  static byte[] pointWithInvalidUtf8() throws IOException {
    byte[] bad = {'b', (byte) 0xff, 'd'};
    ByteArrayOutputStream point = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(point);
    out.writeInt64(1, 42);
    out.writeByteArray(2, bad); // name
    out.writeByteArray(7, entry("host".getBytes(StandardCharsets.UTF_8), bad)); // tags
    out.writeByteArray(7, entry(bad, "v".getBytes(StandardCharsets.UTF_8)));
    out.writeByteArray(
        10,
        entry(
            "msg".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xc3, '('})); // fieldsString
    out.flush();
    return requestFrame(17, point.toByteArray());
  }

  /** A length-prefixed frame holding a Request whose field {@code field} is {@code message}. */
  private static byte[] requestFrame(int field, byte[] message) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    CodedOutputStream body = CodedOutputStream.newInstance(request);
    body.writeByteArray(field, message);
    body.flush();
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    CodedOutputStream framed = CodedOutputStream.newInstance(frame);
    framed.writeUInt32NoTag(request.size());
    framed.flush();
    request.writeTo(frame);
    return frame.toByteArray();
  }

  private interface Writes {
    void to(CodedOutputStream out) throws IOException;
  }

  /** The frame of a Request whose field {@code field} is the message {@code writes} writes. */
  private static byte[] requestFrame(int field, Writes writes) throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(message);
    writes.to(out);
    out.flush();
    return requestFrame(field, message.toByteArray());
  }

  private static final byte[] NOT_UTF8 = {'b', (byte) 0xff, 'd'};

  /**
   * The BeginBatch of a batch grouped by a tag whose value is not UTF-8, as Kapacitor sends it: the
   * bytes in its name, group and tags.
   */
  static byte[] beginBatchWithInvalidUtf8() throws IOException {
    return requestFrame(
        16,
        out -> {
          out.writeByteArray(1, NOT_UTF8); // name
          out.writeByteArray(2, groupWithInvalidUtf8()); // group
          out.writeByteArray(3, entry("host".getBytes(StandardCharsets.UTF_8), NOT_UTF8)); // tags
          out.writeInt64(4, 2); // size
        });
  }

  /** The EndBatch of that batch. */
  static byte[] endBatchWithInvalidUtf8() throws IOException {
    return requestFrame(
        18,
        out -> {
          out.writeByteArray(1, NOT_UTF8); // name
          out.writeByteArray(2, groupWithInvalidUtf8()); // group
          out.writeInt64(3, 42); // tmax
          out.writeByteArray(4, entry("host".getBytes(StandardCharsets.UTF_8), NOT_UTF8)); // tags
        });
  }

  private static byte[] groupWithInvalidUtf8() {
    return concat("host=".getBytes(StandardCharsets.UTF_8), NOT_UTF8);
  }

  /** A batch UDF that notes each batch's name, group, tags and size and sends the batch back. */
  private static final class BatchEcho implements Udf {
    final List<String> seen = new ArrayList<>();

    @Override
    public UdfSpec spec() {
      return UdfSpec.batch().build();
    }

    @Override
    public void batch(Batch batch, Emitter out) {
      seen.add(batch.name() + " " + batch.group() + " " + batch.tags() + " " + batch.size());
      out.emit(batch);
    }
  }

  private static byte[] entry(byte[] key, byte[] value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeByteArray(1, key);
    out.writeByteArray(2, value);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return MemoryPressureTest.concat(a, b);
  }

  private static byte[] framed(Request request) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(bytes);
    writer.write(request);
    writer.flush();
    return bytes.toByteArray();
  }

  @Test
  void invalidUtf8InAPointIsDataAndGoesBackByteForByte() throws Exception {
    // Kapacitor forwards whatever bytes line protocol held; its Go agent passes them through.
    byte[] bad = pointWithInvalidUtf8();
    byte[] good = framed(Request.newBuilder().setPoint(UdfAgentTest.point(43)).build());
    ByteArrayOutputStream points = new ByteArrayOutputStream();
    points.write(bad);
    points.write(good);
    points.write(bad);
    byte[] input = concat(framed(MemoryPressureTest.INIT), points.toByteArray());
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    assertTrue(
        UdfAgent.serve(new ByteArrayInputStream(input), output, new MemoryMain.Forward()),
        "the session did not end cleanly");
    assertArrayEquals(
        concat(MemoryPressureTest.framed(MemoryPressureTest.INITIALIZED), points.toByteArray()),
        output.toByteArray(),
        "every point back as it came, the later ones too");
  }

  @Test
  void aUdfSeesReplacementCharactersAndCanAskForTheRawBytes() throws Exception {
    List<String> seen = new ArrayList<>();
    Udf reader =
        new Udf() {
          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().build();
          }

          @Override
          public void point(Point point, Emitter out) {
            seen.add(
                point.name()
                    + " "
                    + point.tag("host")
                    + " "
                    + point.stringField("msg")
                    + " "
                    + point.tags().containsKey("b\uFFFDd"));
            seen.add(
                HexFormat.of().formatHex(point.rawName())
                    + " "
                    + HexFormat.of().formatHex(point.rawTag("host"))
                    + " "
                    + HexFormat.of().formatHex(point.rawStringField("msg"))
                    + " "
                    + HexFormat.of().formatHex(point.rawTag("b\uFFFDd")));
            out.emit(
                point.toBuilder().field("checked", true).build()); // made by the UDF: valid UTF-8
          }
        };
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    byte[] input = concat(framed(MemoryPressureTest.INIT), pointWithInvalidUtf8());
    assertTrue(
        UdfAgent.serve(new ByteArrayInputStream(input), output, reader),
        "the session did not end cleanly");
    assertEquals(List.of("b\uFFFDd b\uFFFDd \uFFFD( true", "62ff64 62ff64 c328 76"), seen);
    FrameReader<Response> frames =
        new FrameReader<>(
            new ByteArrayInputStream(output.toByteArray()), Response.parser(), 1 << 20);
    Response init = frames.read();
    assertTrue(init.getInit().getSuccess(), init::toString);
    UdfProto.Point sent = frames.read().getPoint(); // the generated parser checks UTF-8
    assertEquals("b\uFFFDd", sent.getTagsOrThrow("host"));
    assertTrue(sent.getFieldsBoolOrThrow("checked"), sent::toString);
  }

  @Test
  void invalidUtf8InABatchsNameGroupAndTagsIsDataForABatchUdf() throws Exception {
    // A batch task grouped by a tag whose value is not UTF-8: Kapacitor's Go code sends the bytes,
    // in the BeginBatch and EndBatch and in the points' group and tags.
    byte[] valid = framed(Request.newBuilder().setPoint(UdfAgentTest.point(41)).build());
    byte[] bad = batchPointWithInvalidUtf8();
    byte[] input =
        concat(
            concat(framed(MemoryPressureTest.INIT), beginBatchWithInvalidUtf8()),
            concat(concat(valid, bad), endBatchWithInvalidUtf8()));
    BatchEcho udf = new BatchEcho();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    assertTrue(UdfAgent.serve(new ByteArrayInputStream(input), output, udf), "a clean end");
    assertEquals(List.of("b\uFFFDd host=b\uFFFDd {host=b\uFFFDd} 2"), udf.seen);

    FrameReader<Response> frames =
        new FrameReader<>(
            new ByteArrayInputStream(output.toByteArray()), Response.parser(), 1 << 20);
    List<byte[]> sent = new ArrayList<>();
    for (byte[] frame; (frame = frames.readFrame()) != null; ) sent.add(frame);
    assertEquals(5, sent.size(), "init, begin, two points, end");
    // The batch's ends are built by the agent, so valid UTF-8: the generated parser reads them.
    UdfProto.BeginBatch begin = Response.parseFrom(sent.get(1)).getBegin();
    assertEquals("b\uFFFDd", begin.getName());
    assertEquals(2, begin.getSize());
    assertEquals(41, Response.parseFrom(sent.get(2)).getPoint().getTime());
    assertArrayEquals(
        Arrays.copyOfRange(bad, 1, bad.length), // after its one-byte length
        sent.get(3),
        "a point sent back unchanged goes byte for byte");
    UdfProto.EndBatch end = Response.parseFrom(sent.get(4)).getEnd();
    assertEquals("b\uFFFDd", end.getName());
    assertEquals("host=b\uFFFDd", end.getGroup());
    assertEquals("b\uFFFDd", end.getTagsOrThrow("host"));
    assertEquals(42, end.getTmax());
    assertEquals("62efbfbd64", HexFormat.of().formatHex(end.getNameBytes().toByteArray()));
  }

  /** A point of that batch, as Kapacitor sends it: time, group, tags and fields. */
  private static byte[] batchPointWithInvalidUtf8() throws IOException {
    return requestFrame(
        17,
        out -> {
          out.writeInt64(1, 43); // time
          out.writeByteArray(5, groupWithInvalidUtf8()); // group
          out.writeByteArray(7, entry("host".getBytes(StandardCharsets.UTF_8), NOT_UTF8)); // tags
          out.writeByteArray(8, doubleEntry("v", 1.5)); // fieldsDouble
        });
  }

  private static byte[] doubleEntry(String key, double value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(1, key);
    out.writeDouble(2, value);
    out.flush();
    return bytes.toByteArray();
  }

  @Test
  void aBatchEndBrokenInAnotherWayIsTheReadErrorItWasBefore() throws Exception {
    byte[] truncated = // the name declares 9 bytes; the message ends after 3
        requestFrame(16, concat(new byte[] {0x0a, 0x09}, NOT_UTF8));
    byte[] invalidWireType = // after the bad name, field 4 with wire type 7, which does not exist
        requestFrame(
            16,
            out -> {
              out.writeByteArray(1, NOT_UTF8);
              out.writeTag(4, 7);
            });
    byte[]
        unknownField = // tmax as a string: the generated parser keeps it, the lenient one does not
        requestFrame(
                18,
                out -> {
                  out.writeByteArray(1, NOT_UTF8);
                  out.writeString(3, "42");
                });
    for (byte[] frame : List.of(truncated, invalidWireType, unknownField)) {
      byte[] input = concat(framed(MemoryPressureTest.INIT), frame);
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      assertFalse(
          UdfAgent.serve(new ByteArrayInputStream(input), output, new BatchEcho()),
          "the session ended cleanly after a malformed frame");
      List<Response> sent = readResponses(output.toByteArray());
      assertEquals(2, sent.size(), "init, then the error: " + sent);
      assertEquals("read error: " + parserError(frame, 2), sent.get(1).getError().getError());
    }
  }

  /** What the generated parser says of a frame, as the agent reports it. */
  private static String parserError(byte[] frame, long number) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(frame);
    byte[] body = in.readRawBytes(in.readRawVarint32());
    try {
      FrameReader.parse(Request.parser(), body, number);
    } catch (FrameException e) {
      return e.getMessage();
    }
    throw new AssertionError("the generated parser reads it");
  }

  private static List<Response> readResponses(byte[] output) throws IOException {
    FrameReader<Response> frames =
        new FrameReader<>(new ByteArrayInputStream(output), Response.parser(), 1 << 20);
    List<Response> all = new ArrayList<>();
    for (Response r; (r = frames.read()) != null; ) all.add(r);
    return all;
  }

  @Test
  void wrongWireTypeForAKnownFieldIsAnUnknownFieldAndTheRequestIsIgnored() throws Exception {
    // Request field 17 (point) sent as a varint: protobuf keeps it as an unknown field, so the
    // request has no kind, which is logged and skipped like any request of an unknown kind.
    byte[] frame = {0x03, (byte) 0x88, 0x01, 0x05};
    try (AgentWire wire = AgentWire.start(new UdfAgentTest.Forward())) {
      assertEquals(MessageCase.INFO, wire.sendRaw(frame).info().take().getMessageCase());
      assertEquals(List.of(), wire.closeInput().takeUntilEof());
      assertTrue(wire.sessionResult(), "the session did not end cleanly");
    }
  }

  @Test
  void unknownFieldsInsideAKnownMessageAreIgnored() throws Exception {
    // InfoRequest carrying an unknown field 9 = varint 1
    byte[] frame = {0x04, 0x0a, 0x02, 0x48, 0x01};
    try (AgentWire wire = AgentWire.start(new UdfAgentTest.Forward())) {
      assertEquals(MessageCase.INFO, wire.sendRaw(frame).take().getMessageCase());
    }
  }

  @Test
  void hugeTagMapIsHandledWithinTheFrameLimit() throws Exception {
    UdfProto.Point.Builder point = UdfProto.Point.newBuilder().setName("wide");
    for (int i = 0; i < 100_000; i++) point.putTags("t" + i, "v" + i);
    try (AgentWire wire = AgentWire.start(new UdfAgentTest.Forward())) {
      wire.init(
              AgentWire.option("field", AgentWire.stringValue("v")),
              AgentWire.option("size", AgentWire.intValue(1)))
          .take(MessageCase.INIT);
      assertEquals(
          100_000, wire.point(point.build()).take(MessageCase.POINT).getPoint().getTagsCount());
    }
  }

  /** One to four random edits: flip a bit, cut, duplicate or drop a byte. */
  static byte[] mutate(byte[] input, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = input.clone();
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && bytes.length > 0; e++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(4)) {
        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes = java.util.Arrays.copyOf(bytes, at);
        case 2 -> {
          out.reset();
          out.write(bytes, 0, at + 1);
          out.write(bytes, at, bytes.length - at);
          bytes = out.toByteArray();
        }
        default -> {
          out.reset();
          out.write(bytes, 0, at);
          out.write(bytes, at + 1, bytes.length - at - 1);
          bytes = out.toByteArray();
        }
      }
    }
    return bytes;
  }
}
