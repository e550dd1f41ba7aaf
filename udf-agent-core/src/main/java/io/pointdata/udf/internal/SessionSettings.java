package io.pointdata.udf.internal;

import java.time.Duration;

/**
 * Limits of one session.
 *
 * @param maxFrameSize the largest frame accepted from Kapacitor, in bytes
 * @param queueCapacity requests read ahead of the handler; when full the reader stops reading,
 *     which pushes back on Kapacitor instead of buffering without limit
 * @param handlerDeadline how long one handler call may run without emitting anything before the
 *     session is ended with an ErrorResponse naming the request; null for no limit (Kapacitor
 *     itself has none)
 * @param readWindow how long the reader lets frames accumulate before reading again when a read
 *     found only a few ({@link ReadCoalescer}); zero reads again at once
 */
public record SessionSettings(
    int maxFrameSize, int queueCapacity, Duration handlerDeadline, Duration readWindow) {
  public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;
  public static final int DEFAULT_QUEUE_CAPACITY = 1024;

  /** Chosen from the paced benchmark: see BENCHMARKS.md, "Kapacitor's pace". */
  public static final Duration DEFAULT_READ_WINDOW = Duration.ofMillis(1);

  public static final SessionSettings DEFAULTS =
      new SessionSettings(DEFAULT_MAX_FRAME_SIZE, DEFAULT_QUEUE_CAPACITY, null);

  public SessionSettings {
    if (maxFrameSize < 16) throw new IllegalArgumentException("maxFrameSize < 16: " + maxFrameSize);
    if (queueCapacity < 1)
      throw new IllegalArgumentException("queueCapacity < 1: " + queueCapacity);
    if (handlerDeadline != null && (handlerDeadline.isNegative() || handlerDeadline.isZero())) {
      throw new IllegalArgumentException("handlerDeadline must be positive: " + handlerDeadline);
    }
    if (readWindow == null || readWindow.isNegative()) {
      throw new IllegalArgumentException("readWindow must be zero or positive: " + readWindow);
    }
  }

  /** With the default read window. */
  public SessionSettings(int maxFrameSize, int queueCapacity, Duration handlerDeadline) {
    this(maxFrameSize, queueCapacity, handlerDeadline, DEFAULT_READ_WINDOW);
  }

  public SessionSettings withHandlerDeadline(Duration deadline) {
    return new SessionSettings(maxFrameSize, queueCapacity, deadline, readWindow);
  }

  public SessionSettings withMaxFrameSize(int bytes) {
    return new SessionSettings(bytes, queueCapacity, handlerDeadline, readWindow);
  }

  public SessionSettings withReadWindow(Duration window) {
    return new SessionSettings(maxFrameSize, queueCapacity, handlerDeadline, window);
  }
}
