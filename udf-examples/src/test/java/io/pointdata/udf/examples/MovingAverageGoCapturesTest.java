package io.pointdata.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import io.pointdata.udf.proto.UdfProto.RestoreRequest;
import io.pointdata.udf.proto.UdfProto.SnapshotResponse;
import io.pointdata.udf.testing.Golden;
import io.pointdata.udf.testing.KapacitorSimulator;
import io.pointdata.udf.testing.Recording;
import io.pointdata.udf.testing.ReplayResult;
import io.pointdata.udf.testing.UdfTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kapacitor v1.5.7's real sessions with its Go moving_avg example ({@code golden/wire/captured},
 * {@code go_moving_avg_process.*}), replayed to {@link MovingAverage}: the same answers, point for
 * point, except the snapshot, which is ours (the Go example writes a Go gob).
 */
class MovingAverageGoCapturesTest {
  private static final String STARTUP = "go_moving_avg_process.1";
  private static final String TASK = "go_moving_avg_process.2";

  private static ReplayResult replay(Recording recording) {
    try (KapacitorSimulator kapacitor =
        KapacitorSimulator.builder(UdfTarget.inJvm(MovingAverage::new)).build()) {
      return kapacitor.replay(recording);
    }
  }

  private static List<Response> withoutKeepalives(List<Response> responses) {
    return responses.stream().filter(r -> !r.hasKeepalive()).toList();
  }

  @Test
  void startupSessionGivesTheGoExamplesInfo() {
    replay(Golden.captured(STARTUP)).assertMatches();
  }

  @Test
  void taskSessionGivesTheGoExamplesPointsAndRefusesItsGobSnapshot() {
    ReplayResult result = replay(Golden.captured(TASK));
    List<Response> theirs = withoutKeepalives(result.expected());
    List<Response> ours = withoutKeepalives(result.actual());
    assertEquals(
        theirs.stream().map(Response::getMessageCase).toList(),
        ours.stream().map(Response::getMessageCase).toList());
    int points = 0;
    for (int i = 0; i < theirs.size(); i++) {
      switch (theirs.get(i).getMessageCase()) {
        case SNAPSHOT ->
            assertTrue(
                ours.get(i).getSnapshot().getSnapshot().size() > 0, "a snapshot of the two groups");
        case RESTORE -> {
          assertFalse(ours.get(i).getRestore().getSuccess(), "a Go gob is not our snapshot");
          assertTrue(
              ours.get(i).getRestore().getError().contains("has no GroupState header"),
              ours.get(i).toString());
        }
        case POINT -> {
          assertEquals(theirs.get(i), ours.get(i), "response " + i);
          points++;
        }
        default -> assertEquals(theirs.get(i), ours.get(i), "response " + i);
      }
    }
    assertEquals(4, points);
  }

  @Test
  void taskSessionMatchesWholeWhenItRestoresOurOwnSnapshot() {
    Recording captured = Golden.captured(TASK);
    byte[] ours =
        replay(captured).actual().stream()
            .filter(r -> r.getMessageCase() == MessageCase.SNAPSHOT)
            .findFirst()
            .orElseThrow()
            .getSnapshot()
            .getSnapshot()
            .toByteArray();
    // The capture with our snapshot where Kapacitor had the Go example's: the answers must all
    // match.
    List<Request> requests =
        captured.requests().stream()
            .map(
                r ->
                    r.hasRestore()
                        ? r.toBuilder()
                            .setRestore(
                                RestoreRequest.newBuilder()
                                    .setSnapshot(com.google.protobuf.ByteString.copyFrom(ours)))
                            .build()
                        : r)
            .toList();
    List<Response> responses =
        captured.responses().stream()
            .map(
                r ->
                    r.hasSnapshot()
                        ? r.toBuilder()
                            .setSnapshot(
                                SnapshotResponse.newBuilder()
                                    .setSnapshot(com.google.protobuf.ByteString.copyFrom(ours)))
                            .build()
                        : r)
            .toList();
    replay(Recording.of(requests, responses)).assertMatches();
  }
}
