package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.protocol.ResponseSink;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kapacitor's own captures of sessions with its Go and Python example UDFs: replayed against Java
 * ports of those UDFs they must match, and the simulator, driven through the same task, must write
 * the very requests Kapacitor wrote.
 */
class CapturedSessionsTest {
  private static final String GO = "go_moving_avg_process";
  private static final String PY = "py_mirror_batch_process";

  @Test
  void goMovingAvgStartupReplaysAgainstItsJavaPort() {
    assertReplays(GO + ".1", UdfTarget.inJvmHandler(GoMovingAvg::new));
  }

  @Test
  void goMovingAvgTaskSessionReplaysAgainstItsJavaPort() {
    assertReplays(GO + ".2", UdfTarget.inJvmHandler(GoMovingAvg::new));
  }

  @Test
  void pythonMirrorStartupReplaysAgainstAJavaMirror() {
    assertReplays(PY + ".1", UdfTarget.inJvmHandler(MirrorHandler::new));
  }

  @Test
  void pythonMirrorBatchSessionReplaysAgainstAJavaMirror() {
    assertReplays(PY + ".2", UdfTarget.inJvmHandler(MirrorHandler::new));
  }

  @Test
  void replayReportsTheFirstResponseThatDiffers() {
    UdfTarget tagging =
        UdfTarget.inJvmHandler(
            () ->
                new MirrorHandler() {
                  @Override
                  public void point(UdfProto.Point point, ResponseSink out) {
                    super.point(point.toBuilder().putTags("extra", "x").build(), out);
                  }
                });
    try (KapacitorSimulator kapacitor = KapacitorSimulator.builder(tagging).build()) {
      ReplayResult result = kapacitor.replay(Golden.captured(PY + ".2"));
      assertFalse(result.matches(), "the replay matched although the handler adds a tag");
      assertTrue(
          result.difference().startsWith("response 3 (keepalives aside) differs"),
          result.difference());
      assertTrue(result.difference().contains("extra"), result.difference());
    }
  }

  @Test
  void simulatorWritesTheCapturedStreamRequestsForTheSameTask() {
    FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.inJvmHandler(GoMovingAvg::new))
            .taskId("harnessTask")
            .nodeId("harnessNode1")
            .build();
    try (k) {
      k.init(".field('value').size(3).as('mean')");
      for (int i = 0; i < 4; i++) {
        k.send(
            Point.named("test")
                .database("mydb")
                .retentionPolicy("myrp")
                .dimensions(List.of("group"))
                .tag("group", "g" + (i % 2))
                .tag("host", "h1")
                .time(1704067200000000000L + i * 1_000_000L)
                .field("value", (double) i)
                .field("count", (long) i)
                .field("label", "s" + i)
                .field("ok", i % 2 == 0)
                .build());
      }
      k.takePoints(4);
      k.restore(k.snapshot());
      k.keepalive().keepalive();
      assertEquals(
          withoutKeepaliveTimes(Golden.captured(GO + ".2").requests()),
          withoutKeepaliveTimes(k.recording().requests()));
    }
  }

  @Test
  void simulatorWritesTheCapturedBatchRequestsForTheSameTask() {
    FakeKapacitor k =
        FakeKapacitor.builder(UdfTarget.inJvmHandler(MirrorHandler::new))
            .taskId("harnessTask")
            .nodeId("harnessNode1")
            .build();
    try (k) {
      k.init("");
      for (int b = 0; b < 2; b++) {
        Batch.Builder batch = Batch.named("test").tag("group", "g" + b);
        for (int i = 2 * b; i < 2 * b + 2; i++) {
          batch.point(
              Point.builder()
                  .tag("host", "h1")
                  .time(1704067200000000000L + i * 1_000_000L)
                  .field("value", (double) i)
                  .field("count", (long) i)
                  .field("label", "s" + i)
                  .field("ok", i % 2 == 0)
                  .build());
        }
        k.sendBatch(batch.build());
        k.takeBatch();
      }
      assertEquals(Golden.captured(PY + ".2").requests(), k.recording().requests());
    }
  }

  private static void assertReplays(String capture, UdfTarget target) {
    try (KapacitorSimulator kapacitor = KapacitorSimulator.builder(target).build()) {
      ReplayResult result = kapacitor.replay(Golden.captured(capture));
      result.assertMatches();
      assertEquals(Golden.captured(capture).responses().size(), result.actual().size());
    }
  }

  private static List<Request> withoutKeepaliveTimes(List<Request> requests) {
    return requests.stream()
        .map(
            r ->
                r.hasKeepalive()
                    ? r.toBuilder()
                        .setKeepalive(UdfProto.KeepaliveRequest.getDefaultInstance())
                        .build()
                    : r)
        .toList();
  }
}
