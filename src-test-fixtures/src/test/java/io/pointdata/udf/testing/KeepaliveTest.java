package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Point;
import io.pointdata.udf.proto.UdfProto.KeepaliveResponse;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Kapacitor's keepalive ticker and watchdog, on a manual clock. */
class KeepaliveTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long START = new ManualClock().nanos();

  @Test
  void keepalivesAreSentEveryHalfTimeoutFromTheStartOfTheSession() {
    try (FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.inJvm(Threshold::new))
            .timeout(TIMEOUT)
            .manualClock()
            .build()) {
      k.init(".field('usage')");
      k.clock().advance(Duration.ofSeconds(25));
      List<Long> times =
          k.recording().requests().stream()
              .filter(Request::hasKeepalive)
              .map(r -> (r.getKeepalive().getTime() - START) / 1_000_000_000L)
              .toList();
      assertEquals(List.of(5L, 10L, 15L, 20L, 25L), times);
      k.assertNoMorePoints(); // every answer sent before the snapshot answer has arrived
      assertEquals(5, k.session().responses().stream().filter(Response::hasKeepalive).count());
      assertEquals(Optional.empty(), k.session().failure());
    }
  }

  @Test
  void udfThatDoesNotAnswerIsAbortedAfterTimeout() {
    try (FakeKapacitor k = fake(RawPeer.stream((request, out) -> {}).ignoringKeepalives())) {
      k.init("");
      k.clock().advance(TIMEOUT.minusSeconds(1));
      assertEquals(Optional.empty(), k.session().failure());
      k.clock().advance(Duration.ofSeconds(1));
      assertEquals(
          "keepalive timedout, last keepalive received was: 2024-01-01 00:00:00 +0000 UTC",
          k.awaitFailure());
    }
  }

  @Test
  void anyResponseResetsTheWatchdog() {
    RawPeer echo =
        RawPeer.stream(
                (request, out) ->
                    out.send(Response.newBuilder().setPoint(request.getPoint()).build()))
            .ignoringKeepalives();
    try (FakeKapacitor k = fake(echo)) {
      k.init("");
      k.clock().advance(Duration.ofMillis(8_500));
      k.send(Point.named("cpu").field("usage", 1.0).build()).takePoint();
      k.clock().advance(Duration.ofSeconds(9));
      assertEquals(Optional.empty(), k.session().failure());
      k.clock().advance(Duration.ofSeconds(1));
      assertEquals(
          "keepalive timedout, last keepalive received was: 2024-01-01 00:00:08.5 +0000 UTC",
          k.awaitFailure());
    }
  }

  @Test
  void udfStillRunningTwiceTheTimeoutAfterTheAbortIsKilled() throws InterruptedException {
    CountDownLatch killed = new CountDownLatch(1);
    InJvmLink.Peer silentThenStubborn =
        (in, out) -> {
          try {
            in.transferTo(
                OutputStream
                    .nullOutputStream()); // answers nothing until its input ends (the abort)
            while (true) { // then keeps its output open and busy until it is closed by force
              Frames.write(
                  out,
                  Response.newBuilder()
                      .setKeepalive(KeepaliveResponse.getDefaultInstance())
                      .build());
              Thread.sleep(20);
            }
          } catch (IOException closedByForce) {
            killed.countDown();
          }
        };
    ManualClock clock = new ManualClock();
    try (KapacitorSimulator kapacitor =
        KapacitorSimulator.builder(UdfTarget.inJvmPeer(() -> silentThenStubborn, "peer"))
            .timeout(TIMEOUT)
            .clock(clock)
            .keepaliveReplyGrace(Duration.ofMillis(100))
            .exitWait(Duration.ofMillis(300))
            .build()) {
      TaskSession session = kapacitor.open();
      clock.advance(TIMEOUT);
      String failure = session.awaitFailure(Duration.ofSeconds(5));
      assertTrue(failure.startsWith("keepalive timedout"), failure);
      clock.advance(TIMEOUT.multipliedBy(2));
      assertTrue(killed.await(5, TimeUnit.SECONDS), "the UDF was not killed");
    }
  }

  private static FakeKapacitor fake(RawPeer peer) {
    return FakeKapacitor.builder(peer.target())
        .timeout(TIMEOUT)
        .manualClock()
        .keepaliveReplyGrace(Duration.ofMillis(100))
        .build();
  }
}
