package io.pointdata.udf.testing.conformance;

import com.google.protobuf.ByteString;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.testing.KapacitorSimulator;
import io.pointdata.udf.testing.Output;
import io.pointdata.udf.testing.StopResult;
import io.pointdata.udf.testing.TaskSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The checks that feed one input to fresh task sessions of a UDF and compare what comes out, where
 * a real Kapacitor loses data that the protocol checks cannot see:
 *
 * <ul>
 *   <li>{@link #sameOutputWhenPipelined}: the same output whether the input is paced (each unit
 *       after the answers to the one before have come, a Snapshot request as the barrier) or
 *       pipelined as Kapacitor writes it (back to back, then the input closed at once, then read to
 *       EOF). An agent that closes its side before writing its queued answers loses the trailing
 *       ones only when pipelined.
 *   <li>{@link #stateSurvivesRestore}: the output of an uninterrupted run equals that of a run cut
 *       in two: units 1..k, a Snapshot, the task stopped; a new task, Init, Restore of that
 *       snapshot, units k+1..N. A restore that loses or corrupts state, or output held and dropped
 *       at the end of input, shows as a difference.
 * </ul>
 *
 * A UDF whose output is not deterministic (it stamps wall-clock time, samples at random) is
 * compared by counts only. Each session is stopped as Kapacitor stops it; a session that fails or
 * does not stop cleanly fails the check with the reason. Not thread-safe.
 */
public final class DataChecks {
  /** The outcome of one check; the detail says what was compared, or what was lost. */
  public record Result(boolean passed, String detail) {}

  private final KapacitorSimulator kapacitor;
  private final UdfProto.InitRequest init;
  private final Feed feed;
  private final boolean deterministic;
  private final Consumer<TaskSession> stopped;

  /**
   * @param kapacitor opens the sessions (its start-up must have run, or will run on first use)
   * @param init the Init every session sends
   * @param feed the input, at least two units
   * @param deterministic whether equal input must give equal output; if not, counts are compared
   */
  public DataChecks(
      KapacitorSimulator kapacitor, UdfProto.InitRequest init, Feed feed, boolean deterministic) {
    this(kapacitor, init, feed, deterministic, task -> {});
  }

  /** As above, handing each session to {@code stopped} once it has stopped. */
  DataChecks(
      KapacitorSimulator kapacitor,
      UdfProto.InitRequest init,
      Feed feed,
      boolean deterministic,
      Consumer<TaskSession> stopped) {
    this.kapacitor = Objects.requireNonNull(kapacitor, "kapacitor == null");
    this.init = Objects.requireNonNull(init, "init == null");
    this.feed = Objects.requireNonNull(feed, "feed == null");
    if (feed.size() < 2)
      throw new IllegalArgumentException(
          "the data checks need at least 2 units, got " + feed.size());
    this.deterministic = deterministic;
    this.stopped = Objects.requireNonNull(stopped, "stopped == null");
  }

  /**
   * Feeds the input once paced and {@code pipelinedRuns} times pipelined, and compares the outputs.
   */
  public Result sameOutputWhenPipelined(int pipelinedRuns) {
    if (pipelinedRuns < 1)
      throw new IllegalArgumentException("pipelinedRuns < 1: " + pipelinedRuns);
    int n = feed.size();
    try {
      List<Output> paced =
          run(
              "the paced run",
              null,
              task -> {
                for (int i = 0; i < n; i++) {
                  feed.send(task, i, i + 1);
                  task.snapshot(); // answered after the output of the unit before it: the unit's
                  // answers have come
                }
              });
      for (int r = 1; r <= pipelinedRuns; r++) {
        String label = "pipelined run " + r + " of " + pipelinedRuns;
        List<Output> pipelined = run(label, null, task -> feed.send(task, 0, n));
        String difference =
            OutputDiff.describe(
                paced, pipelined, "the paced run", "the pipelined run", deterministic);
        if (difference != null) {
          return fail(
              label
                  + " ("
                  + n
                  + " "
                  + units(n)
                  + " written back to back, then the input closed at once): "
                  + difference
                  + (pipelined.size() < paced.size()
                      ? "; Kapacitor writes without waiting and closes the input at once, so these"
                          + " are lost: flush every answer before closing at end of input"
                      : ""));
        }
      }
      return new Result(
          true,
          (deterministic ? "the same " : "as many, ")
              + paced.size()
              + " outputs from "
              + n
              + " "
              + units(n)
              + " paced (a Snapshot after each) and pipelined ("
              + pipelinedRuns
              + " runs: written back "
              + "to back, the input closed at once)"
              + (deterministic ? "" : "; outputs not compared, only counted"));
    } catch (RunFailed e) {
      return fail(e.getMessage());
    }
  }

  /**
   * Compares an uninterrupted run with runs cut after each of {@code cuts} units (those below the
   * input's size): Snapshot, stop, new task, Init, Restore, the rest.
   */
  public Result stateSurvivesRestore(int... cuts) {
    int n = feed.size();
    int[] fitting = Arrays.stream(cuts).filter(k -> k > 0 && k < n).distinct().sorted().toArray();
    if (fitting.length == 0)
      throw new IllegalArgumentException(
          "no cut point within 1.." + (n - 1) + ": " + Arrays.toString(cuts));
    try {
      List<Output> whole =
          run(
              "the uninterrupted run",
              null,
              task -> {
                feed.send(task, 0, n);
                task.snapshot(); // as Kapacitor's periodic one, behind the data; its answer follows
                // the data's
              });
      List<Integer> sizes = new ArrayList<>();
      for (int k : fitting) {
        String cut = "cut after " + k + " " + units(k);
        AtomicReference<byte[]> taken = new AtomicReference<>();
        List<Output> outputs =
            new ArrayList<>(
                run(
                    cut + ", the first task",
                    null,
                    task -> {
                      feed.send(task, 0, k);
                      taken.set(task.snapshot().getSnapshot().toByteArray());
                    }));
        byte[] snapshot = taken.get();
        outputs.addAll(
            run(
                cut + ", the task that restored its " + snapshot.length + "-byte snapshot",
                snapshot,
                task -> {
                  feed.send(task, k, n);
                  task.snapshot();
                }));
        sizes.add(snapshot.length);
        String difference =
            OutputDiff.describe(
                whole,
                outputs,
                "the uninterrupted run",
                "the run restored from a snapshot",
                deterministic);
        if (difference != null) {
          return fail(
              cut
                  + " (Snapshot, task stopped, new task, Init, Restore of the "
                  + snapshot.length
                  + "-byte snapshot, then "
                  + units(2)
                  + " "
                  + (k + 1)
                  + ".."
                  + n
                  + "): "
                  + difference
                  + "; a task stopped after a Snapshot and restarted from it must give the output"
                  + " of one that ran on: restore all the state the output depends on, and emit"
                  + " what is held when the input ends");
        }
      }
      return new Result(
          true,
          (deterministic ? "the same " : "as many, ")
              + whole.size()
              + " outputs from "
              + n
              + " "
              + units(n)
              + " uninterrupted and cut after "
              + joined(fitting)
              + " (Snapshot of "
              + joined(sizes)
              + " bytes, new task, Restore, the rest)"
              + (deterministic ? "" : "; outputs not compared, only counted"));
    } catch (RunFailed e) {
      return fail(e.getMessage());
    }
  }

  // ---------------------------------------------------------------- runs

  /** Why a run could not give its output: the session failed or did not stop cleanly. */
  private static final class RunFailed extends Exception {
    RunFailed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Opens a session, Inits it, restores {@code snapshot} if given, drives it, stops it, takes its
   * outputs.
   */
  private List<Output> run(String label, byte[] snapshot, Consumer<TaskSession> drive)
      throws RunFailed {
    TaskSession task;
    try {
      task = kapacitor.open();
    } catch (AssertionError e) {
      throw new RunFailed(label + ": " + e.getMessage());
    }
    String failure = null;
    try {
      UdfProto.InitResponse response = task.init(init);
      if (!response.getSuccess()) {
        failure = "refused Init: " + response.getError();
      } else if (snapshot != null) {
        UdfProto.RestoreResponse restored =
            task.restore(
                UdfProto.RestoreRequest.newBuilder()
                    .setSnapshot(ByteString.copyFrom(snapshot))
                    .build());
        if (!restored.getSuccess()) {
          failure =
              "refused its own snapshot: "
                  + restored.getError()
                  + " (Kapacitor fails the task: error "
                  + "restoring snapshot)";
        }
      }
      if (failure == null) drive.accept(task);
    } catch (AssertionError e) {
      failure = e.getMessage();
    }
    StopResult stop = task.stop();
    stopped.accept(task);
    if (failure == null && !stop.clean()) {
      failure =
          String.join("; ", stop.problems())
              + (stop.diagnostics().isEmpty() ? "" : "\n" + stop.diagnostics());
    }
    if (failure != null) throw new RunFailed(label + ": " + failure);
    List<Output> outputs = new ArrayList<>();
    for (var next = task.pollOutput(); next.isPresent(); next = task.pollOutput())
      outputs.add(next.get());
    return outputs;
  }

  private String units(int count) {
    return feed.unitName() + (count == 1 ? "" : feed.unitName().endsWith("h") ? "es" : "s");
  }

  private static String joined(int[] values) {
    return joined(Arrays.stream(values).boxed().toList());
  }

  private static String joined(List<Integer> values) {
    List<String> text = values.stream().map(String::valueOf).toList();
    if (text.size() == 1) return text.get(0);
    return text.subList(0, text.size() - 1).stream().collect(Collectors.joining(", "))
        + " and "
        + text.get(text.size() - 1);
  }

  private static Result fail(String detail) {
    return new Result(false, detail);
  }
}
