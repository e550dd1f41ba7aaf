package io.pointdata.udf.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden frame decodes, matches its text form, and re-encodes to the same bytes. */
class GoldenFramesTest {

  static Stream<String> frameNames() throws IOException, URISyntaxException {
    Path dir =
        Path.of(GoldenFramesTest.class.getResource("/golden/wire/req_info.hex").toURI())
            .getParent();
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".hex"))
              .map(n -> n.substring(0, n.length() - 4))
              .sorted()
              .toList();
      assertEquals(29, names.size(), "27 single frames and 2 streams: " + names);
      return names.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("frameNames")
  void frameDecodesAndReencodesByteIdentically(String name) throws IOException {
    boolean request = name.startsWith("req_") || name.equals("stream_requests");
    byte[] wire = hex(name);
    List<Message> messages =
        request
            ? decodeAll(wire, UdfProto.Request.parser())
            : decodeAll(wire, UdfProto.Response.parser());
    assertFalse(messages.isEmpty(), "no messages decoded from " + name);
    for (Message m : messages) {
      assertFalse(m.getUnknownFields().asMap().size() > 0, "no unknown fields in " + name);
    }
    assertArrayEquals(wire, encodeDeterministic(messages), name);
  }

  /** The single frames; the streams' text files list several frames each. */
  static Stream<String> singleFrameNames() throws IOException, URISyntaxException {
    return frameNames().filter(n -> !n.startsWith("stream_"));
  }

  @ParameterizedTest
  @MethodSource("singleFrameNames")
  void singleFrameMatchesItsTextForm(String name) throws IOException {
    boolean request = name.startsWith("req_");
    Message decoded =
        request
            ? decodeAll(hex(name), UdfProto.Request.parser()).get(0)
            : decodeAll(hex(name), UdfProto.Response.parser()).get(0);
    Message.Builder expected =
        request ? UdfProto.Request.newBuilder() : UdfProto.Response.newBuilder();
    TextFormat.merge(text(name), expected); // '#' lines are comments in text format
    assertEquals(expected.build(), decoded, name);
  }

  @Test
  void aPointWithInvalidUtf8IsRefusedByTheGeneratedParserAndIsItsTextFormOtherwise()
      throws IOException {
    byte[] wire =
        HexFormat.of().parseHex(resource("/golden/invalid-utf8/req_point_invalid_utf8.hex").trim());
    InvalidProtocolBufferException refused =
        assertThrows(
            InvalidProtocolBufferException.class, () -> decodeAll(wire, UdfProto.Request.parser()));
    assertTrue(refused.getMessage().contains("UTF-8"), refused.getMessage());

    // Protobuf's text format decodes strings as UTF-8 too, so compare with each bad byte (0xff,
    // 0xe9; an octal escape in the text) made '?': then the frame is the message its text shows.
    byte[] mended = wire.clone();
    int bad = 0;
    for (int i = 0; i < mended.length; i++) {
      if (mended[i] == (byte) 0xff || mended[i] == (byte) 0xe9) {
        mended[i] = '?';
        bad++;
      }
    }
    assertEquals(3, bad, "the tag value, the group that holds it, and the string field");
    UdfProto.Request.Builder expected = UdfProto.Request.newBuilder();
    TextFormat.merge(
        resource("/golden/invalid-utf8/req_point_invalid_utf8.txt")
            .replace("\\377", "?")
            .replace("\\351", "?"),
        expected);
    assertEquals(expected.build(), decodeAll(mended, UdfProto.Request.parser()).get(0));
    assertArrayEquals(mended, encodeDeterministic(List.of(expected.build())));
  }

  static <T extends Message> List<Message> decodeAll(byte[] wire, Parser<T> parser)
      throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(wire);
    List<Message> messages = new ArrayList<>();
    while (!in.isAtEnd()) {
      int length = in.readRawVarint32();
      int old = in.pushLimit(length);
      messages.add(parser.parseFrom(in));
      in.popLimit(old);
    }
    return messages;
  }

  static byte[] encodeDeterministic(List<Message> messages) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    for (Message m : messages) {
      out.writeUInt32NoTag(m.getSerializedSize());
      m.writeTo(out);
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] hex(String name) {
    return HexFormat.of().parseHex(resource(name + ".hex").trim());
  }

  private static String text(String name) {
    return resource(name + ".txt");
  }

  private static String resource(String file) {
    String path = file.startsWith("/") ? file : "/golden/wire/" + file;
    try (InputStream in = GoldenFramesTest.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("missing golden file " + file);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
