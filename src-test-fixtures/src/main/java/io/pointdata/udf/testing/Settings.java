package io.pointdata.udf.testing;

import java.time.Duration;

/**
 * How a simulator behaves; see {@link KapacitorSimulator.Builder} for each value's meaning.
 *
 * @param keepalives whether the keepalive ticker and watchdog run (off for replays, which send the
 *     recorded keepalives instead)
 * @param recordFrames whether sessions keep every frame for {@link TaskSession#recording()}
 *     (replays always do)
 */
record Settings(
    Duration timeout,
    boolean keepalives,
    Duration keepaliveReplyGrace,
    Duration responseWait,
    Duration outputWait,
    Duration exitWait,
    Duration firstRetry,
    Duration retryBudget,
    String taskId,
    String nodeId,
    boolean recordFrames) {

  /** For a replay: the recorded keepalives stand in for the ticker, and the frames are compared. */
  Settings forReplay() {
    return new Settings(
        timeout,
        false,
        keepaliveReplyGrace,
        responseWait,
        outputWait,
        exitWait,
        firstRetry,
        retryBudget,
        taskId,
        nodeId,
        true);
  }
}
