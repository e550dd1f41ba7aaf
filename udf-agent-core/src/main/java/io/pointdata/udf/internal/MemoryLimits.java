package io.pointdata.udf.internal;

import java.util.Objects;

/**
 * What a session may hold in memory beyond its small fixed buffers.
 *
 * @param inFlight the budget for frames read but not yet handled; a server's sessions share one
 * @param maxBatchPoints the most points between a BeginBatch and its EndBatch
 * @param maxBatchBytes the most bytes of points (as framed on the wire) between a BeginBatch and
 *     its EndBatch; a UDF holds a batch's points until its end, parsed, at about 13 times this size
 */
public record MemoryLimits(InFlightBudget inFlight, int maxBatchPoints, long maxBatchBytes) {
  /** The system property an operator sets to change {@link #maxBatchPoints}. */
  public static final String MAX_BATCH_POINTS_PROPERTY = "udf.maxBatchPoints";

  /** The system property an operator sets to change {@link #maxBatchBytes}. */
  public static final String MAX_BATCH_BYTES_PROPERTY = "udf.maxBatchBytes";

  /** Default {@link #maxBatchPoints}: Kapacitor's batches of a query are usually far smaller. */
  public static final int DEFAULT_MAX_BATCH_POINTS = 1_000_000;

  /**
   * Default {@link #maxBatchBytes} as a share of the heap: 1/64, 1 MiB of {@code -Xmx64m}. Held
   * parsed until its end, a batch of small points takes about 13 times its wire size (591 bytes of
   * heap for a 47-byte point), so a batch at this limit takes a fifth of the heap.
   */
  public static final int BATCH_BYTES_HEAP_DIVISOR = 64;

  public MemoryLimits {
    Objects.requireNonNull(inFlight, "inFlight == null");
    if (maxBatchPoints < 1)
      throw new IllegalArgumentException("maxBatchPoints < 1: " + maxBatchPoints);
    if (maxBatchBytes < 1)
      throw new IllegalArgumentException("maxBatchBytes < 1: " + maxBatchBytes);
  }

  /** The defaults for this JVM's heap, with a budget of its own (a process UDF's one session). */
  public static MemoryLimits defaults() {
    return new MemoryLimits(
        new InFlightBudget(InFlightBudget.defaultBytes()),
        DEFAULT_MAX_BATCH_POINTS,
        defaultMaxBatchBytes());
  }

  public static long defaultMaxBatchBytes() {
    return Runtime.getRuntime().maxMemory() / BATCH_BYTES_HEAP_DIVISOR;
  }
}
