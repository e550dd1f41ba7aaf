package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseWriterTest {
  private static final Response POINT =
      Response.newBuilder().setPoint(UdfProto.Point.newBuilder().setName("cpu").setTime(1)).build();
  private static final Response SNAPSHOT =
      Response.newBuilder().setSnapshot(UdfProto.SnapshotResponse.getDefaultInstance()).build();
  private static final Response KEEPALIVE =
      Response.newBuilder()
          .setKeepalive(UdfProto.KeepaliveResponse.newBuilder().setTime(7))
          .build();

  @Test
  void dataResponsesWaitWhileMoreIsQueuedAndAreFlushedOnceTheQueueIsEmpty() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResponseWriter writer = new ResponseWriter(out, Session.WRITE_BUFFER_SIZE);
    writer.writeData(POINT, null);
    writer.handled(true);
    assertEquals(0, out.size(), "more queued: nothing written yet");
    writer.writeData(POINT, null);
    writer.handled(false);
    assertEquals(List.of(POINT, POINT), responses(out));
  }

  @Test
  void managementResponsesKeepalivesAndTheErrorAreWrittenAtOnce() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResponseWriter writer = new ResponseWriter(out, Session.WRITE_BUFFER_SIZE);
    writer.writeNow(SNAPSHOT);
    assertEquals(List.of(SNAPSHOT), responses(out));
    writer.writeKeepalive(KEEPALIVE);
    assertEquals(List.of(SNAPSHOT, KEEPALIVE), responses(out));
    writer.writeError("it broke");
    assertEquals("it broke", responses(out).get(2).getError().getError());
  }

  @Test
  void aFrameAsItArrivedIsWrittenInsteadOfEncodingTheResponse() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResponseWriter writer = new ResponseWriter(out, Session.WRITE_BUFFER_SIZE);
    Response other =
        Response.newBuilder().setPoint(UdfProto.Point.newBuilder().setName("mem")).build();
    writer.writeData(POINT, other.toByteArray());
    writer.flush();
    assertEquals(List.of(other), responses(out));
  }

  @Test
  void onlyTheFirstErrorIsSentAndItIsCapped() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResponseWriter writer = new ResponseWriter(out, Session.WRITE_BUFFER_SIZE);
    writer.writeError("x".repeat(Errors.MAX_MESSAGE_LENGTH + 100));
    writer.writeError("second");
    List<Response> written = responses(out);
    assertEquals(1, written.size());
    assertEquals(
        Errors.cap("x".repeat(Errors.MAX_MESSAGE_LENGTH + 100)),
        written.get(0).getError().getError());
  }

  @Test
  void theFirstWriteFailureIsKeptAndEveryLaterWriteFailsWithItOrIsSkipped() {
    FailingStream out = new FailingStream();
    ResponseWriter writer = new ResponseWriter(out, Session.WRITE_BUFFER_SIZE);
    IOException first = assertThrows(IOException.class, () -> writer.writeNow(SNAPSHOT));
    assertSame(out.failure, first);
    assertSame(first, writer.failure());

    UncheckedIOException data =
        assertThrows(UncheckedIOException.class, () -> writer.writeData(POINT, null));
    assertSame(first, data.getCause());
    assertSame(first, assertThrows(IOException.class, () -> writer.writeNow(SNAPSHOT)));
    int attempts = out.attempts;
    writer.writeKeepalive(KEEPALIVE);
    writer.flush();
    writer.handled(false);
    assertEquals(attempts, out.attempts, "nothing more is tried once a write failed");
    assertSame(first, writer.failure());
  }

  @Test
  void aKeepaliveThatCannotBeWrittenRecordsTheFailureWithoutThrowing() {
    FailingStream out = new FailingStream();
    ResponseWriter writer = new ResponseWriter(out, Session.WRITE_BUFFER_SIZE);
    writer.writeKeepalive(KEEPALIVE);
    assertSame(out.failure, writer.failure());
  }

  @Test
  void countsTheResponsesWrittenBufferedOnesIncluded() throws IOException {
    ResponseWriter writer =
        new ResponseWriter(new ByteArrayOutputStream(), Session.WRITE_BUFFER_SIZE);
    assertEquals(0, writer.responsesWritten());
    writer.writeNow(SNAPSHOT);
    writer.writeData(POINT, null);
    writer.writeData(POINT, POINT.toByteArray());
    writer.writeKeepalive(KEEPALIVE);
    assertEquals(4, writer.responsesWritten());
    assertNull(writer.failure());
  }

  @Test
  void validatesDataResponsesAndTracksTheOpenBatch() {
    ResponseWriter writer =
        new ResponseWriter(new ByteArrayOutputStream(), Session.WRITE_BUFFER_SIZE);
    UdfProto.BeginBatch begin = UdfProto.BeginBatch.newBuilder().setName("b").build();
    writer.validate(Response.newBuilder().setBegin(begin).build());
    assertEquals(begin, writer.openBatch());
    assertThrows(
        RuntimeException.class,
        () -> writer.validate(Response.newBuilder().setBegin(begin).build()));
    writer.validate(
        Response.newBuilder().setEnd(UdfProto.EndBatch.newBuilder().setName("b")).build());
    assertNull(writer.openBatch());
  }

  private static List<Response> responses(ByteArrayOutputStream out) throws IOException {
    FrameReader<Response> reader =
        new FrameReader<>(new ByteArrayInputStream(out.toByteArray()), Response.parser(), 1 << 20);
    List<Response> responses = new ArrayList<>();
    for (Response r; (r = reader.read()) != null; ) responses.add(r);
    return responses;
  }

  private static final class FailingStream extends OutputStream {
    final IOException failure = new IOException("broken pipe");
    int attempts;

    @Override
    public void write(int b) throws IOException {
      attempts++;
      throw failure;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      attempts++;
      throw failure;
    }

    @Override
    public void flush() throws IOException {
      attempts++;
      throw failure;
    }
  }
}
