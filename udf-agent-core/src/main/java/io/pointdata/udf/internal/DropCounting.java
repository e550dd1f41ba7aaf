package io.pointdata.udf.internal;

/**
 * A handler that drops inputs on purpose (a UDF whose errors drop the point) and can count them.
 */
public interface DropCounting {
  /** Runs {@code counter} once per input dropped, on the handler's thread. */
  void onDrop(Runnable counter);
}
