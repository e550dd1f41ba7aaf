package io.pointdata.udf;

/**
 * Sends a UDF's output to Kapacitor.
 *
 * <p>An emitter is handed to {@link Udf#point}, {@link Udf#batch} and {@link Udf#timer} and is
 * valid only during that call, on the calling thread: do not store it. Output computed on other
 * threads (a call to a model server, say) is emitted from the next {@code timer} call. Output is
 * checked before it is written: emitting a point from a UDF that {@link UdfSpec#provides()
 * provides} batches, or a batch from one that provides a stream, throws {@link
 * IllegalStateException}, because Kapacitor would misroute it.
 */
public interface Emitter {
  /**
   * Sends one stream point. Kapacitor recomputes its group from name, tags, dimensions and byName.
   */
  void emit(Point point);

  /** Sends a whole batch: its BeginBatch, its points and its EndBatch. */
  void emit(Batch batch);
}
