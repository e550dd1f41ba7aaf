package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The session's fast paths: unparsed frames in the queue, and points sent back as they arrived. */
class SessionHotPathTest {
  private static final UdfProto.Point POINT =
      UdfProto.Point.newBuilder()
          .setTime(1_594_927_426_635_557_092L)
          .setName("point_data")
          .putTags("host", "ia_telegraf")
          .putFieldsDouble("temperature", 19.5)
          .build();

  @Test
  void unchangedPointIsWrittenAsItArrivedByteForByte() throws Exception {
    // Fields in an order protobuf-java would not write (tags before time): encoding again would
    // reorder them.
    ByteArrayOutputStream tag = new ByteArrayOutputStream();
    CodedOutputStream entry = CodedOutputStream.newInstance(tag);
    entry.writeString(1, "host");
    entry.writeString(2, "a");
    entry.flush();
    ByteArrayOutputStream point = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(point);
    coded.writeByteArray(7, tag.toByteArray());
    coded.writeInt64(1, 42);
    coded.flush();
    byte[] body = frameBody(point.toByteArray());
    byte[] out = run(frame(body), passThrough(p -> p));
    assertArrayEquals(frame(body), out);
    assertEquals(42, Response.parseFrom(frameBody(point.toByteArray())).getPoint().getTime());
  }

  @Test
  void changedPointIsEncodedAfresh() throws Exception {
    UdfProto.Point changed = POINT.toBuilder().putFieldsDouble("score", 0.5).build();
    byte[] out =
        run(
            frame(Request.newBuilder().setPoint(POINT).build().toByteArray()),
            passThrough(p -> changed));
    assertEquals(List.of(Response.newBuilder().setPoint(changed).build()), responses(out));
  }

  @Test
  void malformedFrameEndsTheSessionWithAReadErrorAfterTheRequestsBeforeIt() throws Exception {
    byte[] point = frame(Request.newBuilder().setPoint(POINT).build().toByteArray());
    List<UdfProto.Point> handled = new ArrayList<>();
    byte[] out =
        run(
            concat(point, point, frame(new byte[] {(byte) 0xff, (byte) 0xff}), point),
            new PassThrough(
                p -> {
                  handled.add(p);
                  return p;
                }));
    List<Response> responses = responses(out);
    assertEquals(2, handled.size(), "the two points before the bad frame");
    assertEquals(3, responses.size());
    assertTrue(
        responses
            .get(2)
            .getError()
            .getError()
            .startsWith("read error: frame 3 is not a valid message"),
        responses.get(2).toString());
  }

  @Test
  void keepaliveIsAnsweredWhileTheHandlerIsBusy() throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    UdfHandler blocking =
        new PassThrough(
            p -> {
              inHandler.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return p;
            });
    PipedOutputStream toSession = new PipedOutputStream();
    PipedInputStream sessionIn = new PipedInputStream(toSession, 1 << 16);
    PipedOutputStream sessionOut = new PipedOutputStream();
    PipedInputStream fromSession = new PipedInputStream(sessionOut, 1 << 16);
    Session session =
        new Session(
            "test", Connection.of(sessionIn, sessionOut), blocking, SessionSettings.DEFAULTS);
    Thread runner = new Thread(session::run);
    runner.start();
    toSession.write(frame(Request.newBuilder().setPoint(POINT).build().toByteArray()));
    toSession.flush();
    assertTrue(inHandler.await(5, TimeUnit.SECONDS), "the handler got the point");
    toSession.write(
        frame(
            Request.newBuilder()
                .setKeepalive(UdfProto.KeepaliveRequest.newBuilder().setTime(7))
                .build()
                .toByteArray()));
    toSession.flush();
    FrameReader<Response> reader = new FrameReader<>(fromSession, Response.parser(), 1 << 20);
    assertEquals(
        7,
        reader.read().getKeepalive().getTime(),
        "answered while the handler still holds the point");
    release.countDown();
    assertEquals(POINT, reader.read().getPoint());
    toSession.close();
    runner.join(5000);
  }

  @Test
  void readFrameReturnsTheBodyAndHasBufferedFrameTellsWhetherTheNextIsWhole() throws Exception {
    byte[] one = frame(new byte[] {0x0a, 0x00});
    byte[] two = frame(new byte[] {0x22, 0x00});
    byte[] input = concat(one, two, new byte[] {0x05, 0x01});
    FrameReader<Request> reader =
        new FrameReader<>(new ByteArrayInputStream(input), Request.parser(), 1024);
    assertArrayEquals(new byte[] {0x0a, 0x00}, reader.readFrame());
    assertTrue(reader.hasBufferedFrame(), "the second frame is whole in the buffer");
    Request second = FrameReader.parse(Request.parser(), reader.readFrame(), 2);
    assertEquals(Request.MessageCase.SNAPSHOT, second.getMessageCase());
    assertEquals(false, reader.hasBufferedFrame(), "only 1 of the third frame's 5 bytes is there");
  }

  private static byte[] run(byte[] input, UdfHandler handler) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Session(
            "test",
            Connection.of(new ByteArrayInputStream(input), out),
            handler,
            SessionSettings.DEFAULTS)
        .run();
    return out.toByteArray();
  }

  private static List<Response> responses(byte[] bytes) throws IOException {
    FrameReader<Response> reader =
        new FrameReader<>(new ByteArrayInputStream(bytes), Response.parser(), 1 << 20);
    List<Response> responses = new ArrayList<>();
    for (Response r; (r = reader.read()) != null; ) responses.add(r);
    return responses;
  }

  /** A Request body holding a point whose encoding is given. */
  private static byte[] frameBody(byte[] pointBytes) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(body);
    coded.writeByteArray(Request.POINT_FIELD_NUMBER, pointBytes);
    coded.flush();
    return body.toByteArray();
  }

  private static byte[] frame(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeUInt32NoTag(body.length);
    coded.writeRawBytes(body);
    coded.flush();
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) out.writeBytes(part);
    return out.toByteArray();
  }

  private static UdfHandler passThrough(UnaryOperator<UdfProto.Point> change) {
    return new PassThrough(change);
  }

  /** Sends back each point as {@code change} makes it. */
  private static final class PassThrough extends AcceptingHandler {
    private final UnaryOperator<UdfProto.Point> change;

    PassThrough(UnaryOperator<UdfProto.Point> change) {
      this.change = change;
    }

    @Override
    public void point(UdfProto.Point point, ResponseSink out) {
      out.send(Response.newBuilder().setPoint(change.apply(point)).build());
    }
  }
}
