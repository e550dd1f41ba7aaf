package io.pointdata.udf.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Loads the golden protocol files from the classpath, where the {@code udf-proto} test-jar puts
 * them: single frames and frame streams under {@code /golden/wire/} (hex), Kapacitor captures under
 * {@code /golden/wire/captured/} (raw frames) and EII request/response traces under {@code
 * /golden/eii/} (proto3 JSON).
 */
public final class Golden {
  private Golden() {}

  /**
   * The bytes of a classpath resource.
   *
   * @throws IllegalArgumentException if there is no such resource (is the udf-proto test-jar a test
   *     dependency?)
   */
  public static byte[] bytes(String path) {
    Objects.requireNonNull(path, "path == null");
    try (InputStream in = Golden.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no classpath resource "
                + path
                + " (the golden files come with io.pointdata.udf:udf-proto, type test-jar)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  /**
   * The bytes of {@code /golden/wire/<name>.hex}: frames exactly as on the wire, length prefixes
   * included.
   */
  public static byte[] wireBytes(String name) {
    String hex =
        new String(bytes("/golden/wire/" + name + ".hex"), StandardCharsets.US_ASCII).strip();
    return HexFormat.of().parseHex(hex);
  }

  /**
   * The requests framed in {@code /golden/wire/<name>.hex}, e.g. {@code req_info} or {@code
   * stream_requests}.
   */
  public static List<Request> wireRequests(String name) {
    return parseFrames(wireBytes(name), Request.parser(), name);
  }

  /** The responses framed in {@code /golden/wire/<name>.hex}, e.g. {@code resp_init_ok}. */
  public static List<Response> wireResponses(String name) {
    return parseFrames(wireBytes(name), Response.parser(), name);
  }

  /**
   * A captured Kapacitor session, e.g. {@code go_moving_avg_process.2}: its {@code .requests.bin}
   * and {@code .responses.bin} under {@code /golden/wire/captured/}.
   */
  public static Recording captured(String name) {
    return Recording.fromClasspath("/golden/wire/captured/" + name);
  }

  /** An EII trace, {@code /golden/eii/<name>.json}, e.g. {@code py_classifier_stream}. */
  public static EiiTrace eiiTrace(String name) {
    return EiiTrace.parse(
        name, new String(bytes("/golden/eii/" + name + ".json"), StandardCharsets.UTF_8));
  }

  private static <T extends Message> List<T> parseFrames(
      byte[] wire, Parser<T> parser, String name) {
    List<T> messages = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(wire);
    try {
      byte[] body;
      while ((body = Frames.read(in)) != null) messages.add(parser.parseFrom(body));
    } catch (InvalidProtocolBufferException e) {
      String frame = name + ": frame " + (messages.size() + 1);
      throw new IllegalArgumentException(frame + " is not valid: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    return messages;
  }
}
