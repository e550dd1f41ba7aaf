package io.pointdata.udf.testing;

import java.time.Duration;

/**
 * How a simulator behaves; see {@link KapacitorSimulator.Builder} for each value's meaning.
 *
 * @param keepalives whether the keepalive ticker and watchdog run (off for replays, which send the
 *     recorded keepalives instead)
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
    String nodeId) {

  Settings withoutKeepalives() {
    return new Settings(timeout, false, keepaliveReplyGrace, responseWait, outputWait, exitWait, firstRetry,
        retryBudget, taskId, nodeId);
  }
}
