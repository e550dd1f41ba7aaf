package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.CodedOutputStream;
import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kapacitor's Go code does not check that a response's strings are UTF-8, so neither does the fake:
 * a UDF that sends a batch's name, group and tags with the bytes Kapacitor sent (not UTF-8) has its
 * batch read, each bad sequence as U+FFFD, where protobuf-java's generated parser refuses it.
 */
class InvalidUtf8ResponseTest {
  private static final byte[] NOT_UTF8 = {'b', (byte) 0xff, 'd'};

  @Test
  void aBatchWhoseNameGroupAndTagsAreNotUtf8IsReadAsKapacitorReadsIt() {
    RawPeer peer =
        RawPeer.batch(
            (request, out) -> {
              if (!request.hasEnd()) return;
              out.sendRaw(beginBatch());
              out.send(
                  Response.newBuilder()
                      .setPoint(UdfProto.Point.newBuilder().setTime(7).putFieldsDouble("v", 1))
                      .build());
              out.sendRaw(endBatch());
            });
    try (FakeKapacitor k = FakeKapacitor.builder(peer.target()).build()) {
      k.init("")
          .sendBatch(Batch.named("cpu").point(Point.builder().field("v", 1.0).build()).build());
      Batch batch = k.takeBatch(); // an AssertionError if the session failed
      assertEquals("b\uFFFDd", batch.name());
      assertEquals(Map.of("host", "b\uFFFDd"), batch.tags());
      assertEquals(42, batch.tmax());
      assertEquals(1, batch.size());
    }
  }

  /** Response.begin (field 16) with a name that is not UTF-8. */
  private static byte[] beginBatch() throws IOException {
    return response(16, message(out -> out.writeByteArray(1, NOT_UTF8)));
  }

  /** Response.end (field 18) with a name, group and tag value that are not UTF-8. */
  private static byte[] endBatch() throws IOException {
    byte[] tag =
        message(
            out -> {
              out.writeByteArray(1, "host".getBytes(StandardCharsets.UTF_8));
              out.writeByteArray(2, NOT_UTF8);
            });
    return response(
        18,
        message(
            out -> {
              out.writeByteArray(1, NOT_UTF8); // name
              out.writeByteArray(2, NOT_UTF8); // group
              out.writeInt64(3, 42); // tmax
              out.writeByteArray(4, tag); // tags
            }));
  }

  private interface Writes {
    void to(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Writes writes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writes.to(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] response(int field, byte[] message) throws IOException {
    return message(out -> out.writeByteArray(field, message));
  }
}
