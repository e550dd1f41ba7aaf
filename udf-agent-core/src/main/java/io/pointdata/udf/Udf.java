package io.pointdata.udf;

/**
 * A user-defined function that Kapacitor calls: the interface UDF authors implement.
 *
 * <p>Each Kapacitor connection (one per task node, plus one at Kapacitor's start-up that only asks
 * for {@link #spec()}) gets its own instance, so an instance needs no synchronisation: the agent
 * calls its methods from one thread at a time, never concurrently, in the order Kapacitor's
 * requests arrive. Keepalives are answered by the agent itself, even while a method runs.
 *
 * <p>Only {@link #spec()} is required. A UDF that {@link UdfSpec#wants() wants} a stream implements
 * {@link #point}; one that wants batches implements {@link #batch}. The rest have defaults that
 * suit a stateless UDF: an empty snapshot, and a restore that accepts anything.
 *
 * <p>Usage example:
 *
 * <pre>{@code
 * public final class Threshold implements Udf {
 *   static final Option<String> FIELD = Option.ofString("field");
 *   static final Option<Double> THRESHOLD = Option.ofDouble("threshold", 90.0);
 *   private String field;
 *   private double threshold;
 *
 *   public UdfSpec spec() { return UdfSpec.stream().options(FIELD, THRESHOLD).build(); }
 *
 *   public void init(InitContext ctx) {
 *     field = ctx.get(FIELD);
 *     threshold = ctx.get(THRESHOLD);
 *   }
 *
 *   public void point(Point point, Emitter out) {
 *     if (point.doubleField(field) > threshold) out.emit(point);
 *   }
 * }
 * }</pre>
 */
public interface Udf {
  /**
   * What this UDF wants and provides, and the options it takes. Called once per connection, before
   * anything else; keep it cheap (Kapacitor's start-up waits for it), and do heavy work in {@link
   * #init}.
   */
  UdfSpec spec();

  /**
   * Called once, before any data, with the options of the TICKscript's UDF call, already checked
   * against {@link #spec()}: required options are present and every value has its declared type.
   *
   * @throws UdfException to refuse the options; Kapacitor shows the message as the task's error
   */
  default void init(InitContext context) throws Exception {}

  /**
   * Handles one stream point, emitting zero or more points.
   *
   * @throws Exception to stop this task's UDF node with an {@code ErrorResponse}
   */
  default void point(Point point, Emitter out) throws Exception {
    throw new UdfException("this UDF does not take stream points");
  }

  /**
   * Handles one whole batch, called when its EndBatch arrives, emitting zero or more points or
   * batches.
   *
   * @throws Exception to stop this task's UDF node with an {@code ErrorResponse}
   */
  default void batch(Batch batch, Emitter out) throws Exception {
    throw new UdfException("this UDF does not take batches");
  }

  /**
   * Called every {@link UdfSpec.Builder#timer period} the spec declares, after Init, between the
   * other calls and never at the same time as one: emits without input, such as a window flushed on
   * wall-clock time. A call that falls due while another runs waits for it; calls never pile up.
   *
   * @throws Exception as {@link #point}: handled by the spec's {@link OnError} policy
   */
  default void timer(Emitter out) throws Exception {}

  /** Returns this UDF's state for Kapacitor to store; empty (the default) if it keeps none. */
  default byte[] snapshot() throws Exception {
    return new byte[0];
  }

  /**
   * Restores state saved by {@link #snapshot()}, right after {@link #init}.
   *
   * @throws UdfException to refuse the snapshot; Kapacitor then fails the task with its message
   */
  default void restore(byte[] snapshot) throws Exception {}

  /**
   * Called once when the connection ends, whatever the reason. It may be called after a failure.
   */
  default void close() throws Exception {}
}
