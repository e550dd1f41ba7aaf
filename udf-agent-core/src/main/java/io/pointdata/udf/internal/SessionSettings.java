package io.pointdata.udf.internal;

/**
 * Limits of one session.
 *
 * @param maxFrameSize the largest frame accepted from Kapacitor, in bytes
 * @param queueCapacity requests read ahead of the handler; when full the reader stops reading,
 *     which pushes back on Kapacitor instead of buffering without limit
 */
public record SessionSettings(int maxFrameSize, int queueCapacity) {
  public static final int DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;
  public static final SessionSettings DEFAULTS = new SessionSettings(DEFAULT_MAX_FRAME_SIZE, 1024);

  public SessionSettings {
    if (maxFrameSize < 16) throw new IllegalArgumentException("maxFrameSize < 16: " + maxFrameSize);
    if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity < 1: " + queueCapacity);
  }
}
