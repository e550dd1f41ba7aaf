package io.pointdata.udf;

import static io.pointdata.udf.AgentWire.doubleValue;
import static io.pointdata.udf.AgentWire.durationValue;
import static io.pointdata.udf.AgentWire.intValue;
import static io.pointdata.udf.AgentWire.option;
import static io.pointdata.udf.AgentWire.stringValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The agent loop over pipes, as a process UDF runs: PROTOCOL.md §6 items 1–7 and 9. */
class UdfAgentTest {
  static final Option<String> FIELD = Option.ofString("field");
  static final Option<Integer> SIZE = Option.ofInt("size").check(n -> n > 0, "must be positive");
  static final Option<String> AS = Option.ofString("as", "avg");

  /** Forwards every point; records what init saw. */
  static final class Forward implements Udf {
    final AtomicReference<InitContext> init = new AtomicReference<>();

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().options(FIELD, SIZE, AS).build();
    }

    @Override
    public void init(InitContext context) {
      init.set(context);
    }

    @Override
    public void point(Point point, Emitter out) {
      out.emit(point);
    }
  }

  static UdfProto.Point point(long time) {
    return UdfProto.Point.newBuilder()
        .setTime(time)
        .setName("cpu")
        .putFieldsDouble("v", time)
        .build();
  }

  @Test
  void infoIsGeneratedFromTheSpecAsKapacitorsMovingAverageSendsIt() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      Response info = wire.info().take(MessageCase.INFO);
      // resp_info_stream_moving_avg: field STRING, size INT, as STRING; wants/provides STREAM
      byte[] golden =
          HexFormat.of()
              .parseHex(
                  "0a261a090a02617312030a01031a0c0a056669656c6412030a01031a0b0a0473697a6512030a0101");
      assertEquals(Response.parseFrom(golden), info);
      assertEquals(List.of(), wire.closeInput().takeUntilEof());
      assertTrue(wire.sessionResult(), "an Info-only session ends cleanly at EOF");
    }
  }

  @Test
  void initPassesTypedOptionsAndTaskIdentity() throws Exception {
    Forward udf = new Forward();
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.init(option("field", stringValue("value")), option("size", intValue(3)));
      assertEquals(
          UdfProto.InitResponse.newBuilder().setSuccess(true).build(),
          wire.take(MessageCase.INIT).getInit());
      InitContext ctx = udf.init.get();
      assertEquals("value", ctx.get(FIELD));
      assertEquals(3, ctx.get(SIZE));
      assertEquals("avg", ctx.get(AS), "default applies when the option is absent");
      assertFalse(ctx.isSet(AS), "an absent option is reported as set");
      assertEquals("task", ctx.taskId());
      assertEquals("udf1", ctx.nodeId());
    }
  }

  @Test
  void initRefusalListsEveryProblemInOneMessage() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      wire.init(
          option("size", doubleValue(10.0)),
          option("as", stringValue("a"), stringValue("b")),
          option("nosuch", intValue(1)));
      UdfProto.InitResponse init = wire.take(MessageCase.INIT).getInit();
      assertFalse(init.getSuccess(), "Init accepted");
      assertEquals(
          "option 'size' must be INT, got DOUBLE; option 'as' takes 1 value, got 2; "
              + "unknown option 'nosuch' (known: field, size, as); option 'field' is required",
          init.getError());
    }
  }

  @Test
  void initRunsOptionChecksAndRefusesRepeats() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      wire.init(
          option("field", stringValue("a")),
          option("field", stringValue("b")),
          option("size", intValue(-2)));
      assertEquals(
          "option 'size' must be positive, got -2; option 'field' is given 2 times; it takes one",
          wire.take(MessageCase.INIT).getInit().getError());
    }
  }

  @Test
  void durationOptionArrivesAsJavaDuration() throws Exception {
    Option<Duration> period = Option.ofDuration("period");
    AtomicReference<Duration> seen = new AtomicReference<>();
    Udf udf =
        new Udf() {
          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().options(period).build();
          }

          @Override
          public void init(InitContext context) {
            seen.set(context.get(period));
          }
        };
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.init(option("period", durationValue(10_000_000_000L)));
      Response init = wire.take(MessageCase.INIT);
      assertTrue(init.getInit().getSuccess(), () -> "Init refused: " + init.getInit().getError());
      assertEquals(Duration.ofSeconds(10), seen.get());
    }
  }

  @Test
  void keepalivesAreAnsweredWhileTheHandlerIsBusy() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Udf slow =
        new Udf() {
          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().build();
          }

          @Override
          public void point(Point point, Emitter out) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
            out.emit(point);
          }
        };
    try (AgentWire wire = AgentWire.start(slow)) {
      wire.init().take(MessageCase.INIT);
      wire.point(point(1));
      for (long t = 1; t <= 3; t++) {
        assertEquals(t, wire.keepalive(t).take(MessageCase.KEEPALIVE).getKeepalive().getTime());
      }
      assertEquals(1, release.getCount(), "the handler is still blocked in point()");
      release.countDown();
      assertEquals(1, wire.take(MessageCase.POINT).getPoint().getTime());
    }
  }

  @Test
  void endOfInputDrainsTheHandlerAndFlushesEveryResponse() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      wire.init(option("field", stringValue("v")), option("size", intValue(1)))
          .take(MessageCase.INIT);
      int n = 10_000;
      for (int i = 0; i < n; i++) wire.point(point(i));
      List<Response> rest = wire.closeInput().takeUntilEof();
      assertEquals(n, rest.size());
      for (int i = 0; i < n; i++) assertEquals(i, rest.get(i).getPoint().getTime());
      assertTrue(wire.sessionResult(), "the session did not end cleanly");
    }
  }

  @Test
  void handlerExceptionSendsErrorNamingTheRequestThenCloses() throws Exception {
    Udf failing =
        new Udf() {
          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().build();
          }

          @Override
          public void point(Point point, Emitter out) {
            throw new IllegalArgumentException("bad value");
          }
        };
    try (AgentWire wire = AgentWire.start(failing)) {
      wire.init().take(MessageCase.INIT);
      wire.point(point(1));
      assertEquals(
          "error processing request of type point: IllegalArgumentException: bad value",
          wire.take(MessageCase.ERROR).getError().getError());
      assertTrue(wire.takeUntilEof().isEmpty(), "nothing after the error");
      assertFalse(wire.sessionResult(), "the session ended cleanly");
    }
  }

  @Test
  void garbageBytesGiveAReadErrorAndACleanClose() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      wire.sendRaw(new byte[] {0x04, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      String error = wire.take(MessageCase.ERROR).getError().getError();
      assertTrue(error.startsWith("read error: frame 1 is not a valid message"), error);
      assertEquals(List.of(), wire.takeUntilEof());
      assertFalse(wire.sessionResult(), "the session ended cleanly");
    }
  }

  @Test
  void truncatedFrameGivesAReadErrorNamingTheMissingBytes() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      wire.info().take(MessageCase.INFO);
      wire.sendRaw(new byte[] {0x0c, 0x1a, 0x0a}).closeInput();
      assertEquals(
          "read error: unexpected EOF in frame 2, expected 10 more bytes",
          wire.take(MessageCase.ERROR).getError().getError());
      assertEquals(List.of(), wire.takeUntilEof());
    }
  }

  @Test
  void oversizedLengthIsRefusedWithoutReadingTheBody() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      wire.sendRaw(
          new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}); // 4 GiB - 1
      assertEquals(
          "read error: frame 1 declares 4294967295 bytes, over the maximum of 67108864",
          wire.take(MessageCase.ERROR).getError().getError());
      assertEquals(List.of(), wire.takeUntilEof());
    }
  }

  @Test
  void unknownRequestKindIsIgnoredAndTheSessionGoesOn() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      wire.sendRaw(new byte[] {0x02, 0x3a, 0x00}); // field 7: no such request
      wire.sendRaw(new byte[] {0x00}); // no oneof at all
      wire.info().take(MessageCase.INFO);
      assertEquals(List.of(), wire.closeInput().takeUntilEof());
      assertTrue(wire.sessionResult(), "the session did not end cleanly");
    }
  }

  @Test
  void statelessUdfAnswersEmptySnapshotAndAcceptsRestore() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      wire.send(
          UdfProto.Request.newBuilder()
              .setSnapshot(UdfProto.SnapshotRequest.getDefaultInstance())
              .build());
      // resp_snapshot_empty is 22 00
      assertEquals(Response.parseFrom(new byte[] {0x22, 0x00}), wire.take(MessageCase.SNAPSHOT));
      wire.send(
          UdfProto.Request.newBuilder()
              .setRestore(
                  UdfProto.RestoreRequest.newBuilder()
                      .setSnapshot(com.google.protobuf.ByteString.copyFromUtf8("x")))
              .build());
      Response restored = wire.take(MessageCase.RESTORE);
      assertTrue(
          restored.getRestore().getSuccess(),
          () -> "Restore refused: " + restored.getRestore().getError());
    }
  }

  @Test
  void restoreRefusalBecomesAFailedRestoreResponse() throws Exception {
    Udf picky =
        new Udf() {
          @Override
          public UdfSpec spec() {
            return UdfSpec.stream().build();
          }

          @Override
          public void restore(byte[] snapshot) {
            throw new UdfException("snapshot version 3 is newer than this UDF (2)");
          }
        };
    try (AgentWire wire = AgentWire.start(picky)) {
      wire.send(
          UdfProto.Request.newBuilder()
              .setRestore(UdfProto.RestoreRequest.getDefaultInstance())
              .build());
      UdfProto.RestoreResponse restore = wire.take(MessageCase.RESTORE).getRestore();
      assertFalse(restore.getSuccess(), "Restore accepted");
      assertEquals("snapshot version 3 is newer than this UDF (2)", restore.getError());
    }
  }

  @Test
  void streamUdfGivenABatchAnswersWithAnErrorNamingTheProblem() throws Exception {
    try (AgentWire wire = AgentWire.start(new Forward())) {
      wire.init(option("field", stringValue("v")), option("size", intValue(1)))
          .take(MessageCase.INIT);
      wire.send(
          UdfProto.Request.newBuilder()
              .setBegin(UdfProto.BeginBatch.newBuilder().setName("cpu"))
              .build());
      assertEquals(
          "error processing request of type begin: received a batch, but this UDF wants a stream"
              + " (its Info says wants=STREAM)",
          wire.take(MessageCase.ERROR).getError().getError());
    }
  }
}
