package io.pointdata.udf.examples;

import io.pointdata.udf.UdfException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Trained forests shared between connections, keyed by what they were trained from, so that a
 * socket UDF trains once for all the tasks that use the same options.
 *
 * <p>Concurrent requests for one key wait for a single training. A failed training is not kept, so
 * the next Init tries again. The least recently used forest is dropped beyond the capacity.
 */
final class ModelCache {
  /** What a forest is trained from: the training data's identity, tree count and seed. */
  record Key(String source, long size, long lastModified, long trees, long seed) {}

  private final int capacity;
  // Guarded by this.
  private final Map<Key, FutureTask<Forest>> forests = new LinkedHashMap<>(16, 0.75f, true);
  // Guarded by this.
  private long trainings;

  ModelCache(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("capacity < 1: " + capacity);
    this.capacity = capacity;
  }

  /** Returns the forest for the key, training it with {@code train} on the first request. */
  Forest get(Key key, Callable<Forest> train) throws Exception {
    FutureTask<Forest> task;
    boolean mine = false;
    synchronized (this) {
      task = forests.get(key);
      if (task == null) {
        task = new FutureTask<>(train);
        forests.put(key, task);
        trainings++;
        mine = true;
        if (forests.size() > capacity) forests.remove(forests.keySet().iterator().next());
      }
    }
    // Train outside the lock, so other keys are not held up.
    if (mine) task.run();
    try {
      return task.get();
    } catch (ExecutionException e) {
      synchronized (this) {
        forests.remove(key, task);
      }
      if (e.getCause() instanceof Exception cause) throw cause;
      throw new UdfException("training failed: " + e.getCause(), e.getCause());
    }
  }

  /** How many trainings this cache has started. */
  synchronized long trainings() {
    return trainings;
  }
}
