package io.pointdata.udf;

import io.pointdata.udf.internal.DropCounting;
import io.pointdata.udf.internal.Errors;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.ResponseSink;
import io.pointdata.udf.protocol.UdfHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Udf} as a {@link UdfHandler}: checks options, assembles batches, checks output
 * edges.
 */
final class UdfAdapter implements UdfHandler, DropCounting {
  private static final Logger log = LoggerFactory.getLogger(UdfAdapter.class);

  private final Udf udf;
  private final UdfSpec spec;
  private boolean initialized;

  /** The BeginBatch of the batch being received, or null between batches. */
  private UdfProto.BeginBatch openBatch;

  private final List<Point> batchPoints = new ArrayList<>();
  private CheckedEmitter emitter;

  /** "task=… node=…" once Init has named them, for log lines. */
  private String task = "";

  private long dropped;

  /** Counts each drop in the session's metrics. */
  private Runnable onDrop = () -> {};

  /** The spec's timer period, or the one the UDF chose at Init; null for none. */
  private Duration timerPeriod;

  UdfAdapter(Udf udf) {
    this.udf = udf;
    this.spec = udf.spec();
    if (spec == null)
      throw new IllegalStateException(udf.getClass().getName() + ".spec() returned null");
    this.timerPeriod = spec.timerPeriod().orElse(null);
  }

  @Override
  public UdfProto.InfoResponse info() {
    return spec.info();
  }

  @Override
  public UdfProto.InitResponse init(UdfProto.InitRequest request) {
    if (initialized) throw new UdfException("received a second Init");
    task = "task=" + request.getTaskID() + " node=" + request.getNodeID() + ": ";
    try {
      InitContext context = InitContext.check(spec, request);
      udf.init(context);
      if (context.timerPeriod() != null) timerPeriod = context.timerPeriod();
      initialized = true;
      return UdfProto.InitResponse.newBuilder().setSuccess(true).build();
    } catch (UdfException e) {
      return failedInit(e.getMessage());
    } catch (Exception e) {
      log.error("{}.init failed", udf.getClass().getName(), e);
      return failedInit(Errors.describe(e));
    }
  }

  private static UdfProto.InitResponse failedInit(String message) {
    return UdfProto.InitResponse.newBuilder().setSuccess(false).setError(message).build();
  }

  @Override
  public UdfProto.SnapshotResponse snapshot() throws Exception {
    byte[] snapshot = udf.snapshot();
    if (snapshot == null)
      throw new IllegalStateException(udf.getClass().getName() + ".snapshot() returned null");
    return UdfProto.SnapshotResponse.newBuilder()
        .setSnapshot(com.google.protobuf.ByteString.copyFrom(snapshot))
        .build();
  }

  @Override
  public UdfProto.RestoreResponse restore(UdfProto.RestoreRequest request) {
    try {
      udf.restore(request.getSnapshot().toByteArray());
      return UdfProto.RestoreResponse.newBuilder().setSuccess(true).build();
    } catch (Exception e) {
      if (!(e instanceof UdfException)) log.error("{}.restore failed", udf.getClass().getName(), e);
      return UdfProto.RestoreResponse.newBuilder()
          .setSuccess(false)
          .setError(e instanceof UdfException ? e.getMessage() : Errors.describe(e))
          .build();
    }
  }

  @Override
  public void beginBatch(UdfProto.BeginBatch begin, ResponseSink out) {
    requireWants(Edge.BATCH, "a batch");
    if (openBatch != null)
      throw new UdfException(
          "received BeginBatch while batch '" + openBatch.getName() + "' is open");
    openBatch = begin;
    batchPoints.clear();
  }

  @Override
  public void point(UdfProto.Point point, ResponseSink out) throws Exception {
    if (openBatch != null) {
      batchPoints.add(Point.wrap(point));
      return;
    }
    requireWants(Edge.STREAM, "a stream point");
    Point typed = Point.wrap(point);
    CheckedEmitter emitter = emitter(out);
    try {
      udf.point(typed, emitter);
    } catch (Exception e) {
      if (!droppable(e, emitter)) throw e;
      drop(e, "point of group '" + typed.group() + "' at time " + typed.time());
    }
  }

  @Override
  public void endBatch(UdfProto.EndBatch end, ResponseSink out) throws Exception {
    requireWants(Edge.BATCH, "a batch");
    if (openBatch == null) throw new UdfException("received EndBatch without BeginBatch");
    Batch batch = Batch.of(openBatch, batchPoints, end);
    openBatch = null;
    batchPoints.clear();
    CheckedEmitter emitter = emitter(out);
    try {
      udf.batch(batch, emitter);
    } catch (Exception e) {
      if (!droppable(e, emitter)) throw e;
      drop(
          e,
          "batch '"
              + batch.name()
              + "' of group '"
              + batch.group()
              + "' ("
              + batch.size()
              + " points, tmax "
              + batch.tmax()
              + ")");
    }
  }

  @Override
  public Duration timerPeriod() {
    return timerPeriod;
  }

  @Override
  public void timer(ResponseSink out) throws Exception {
    if (!initialized) return;
    CheckedEmitter emitter = emitter(out);
    try {
      udf.timer(emitter);
    } catch (Exception e) {
      if (!droppable(e, emitter)) throw e;
      drop(e, "a timer call's output");
    }
  }

  /** Whether the policy lets the call's exception go: never an interrupt, nor a failure to emit. */
  private boolean droppable(Exception e, CheckedEmitter emitter) {
    return spec.onError() == OnError.DROP_AND_LOG
        && !(e instanceof InterruptedException)
        && !emitter.failed;
  }

  /** Where each dropped input is counted, besides the log (set before the session runs). */
  @Override
  public void onDrop(Runnable counter) {
    this.onDrop = counter;
  }

  /** The UDF's class name, the default name of a process UDF in its metrics. */
  String udfName() {
    return udf.getClass().getSimpleName();
  }

  private void drop(Exception e, String what) {
    dropped++;
    onDrop.run();
    // A bad input stream can fail every point: log enough to see it, not a line per point.
    if (dropped <= 10 || dropped % 1000 == 0) {
      log.warn(
          "{}dropped {} ({} dropped so far): {}",
          task,
          what,
          dropped,
          Errors.describe(e),
          dropped == 1 ? e : null);
    }
  }

  private void requireWants(Edge edge, String what) {
    if (spec.wants() != edge) {
      throw new UdfException(
          "received "
              + what
              + ", but this UDF wants a "
              + spec.wants().lowerName()
              + " (its Info says wants="
              + spec.wants()
              + ")");
    }
    if (!initialized) throw new UdfException("received " + what + " before Init");
  }

  private CheckedEmitter emitter(ResponseSink out) {
    if (emitter == null || emitter.out != out) emitter = new CheckedEmitter(out, spec.provides());
    return emitter;
  }

  @Override
  public void close() throws Exception {
    if (dropped > 0)
      log.warn(
          "{}{} point(s) or batch(es) dropped in all, their calls having thrown", task, dropped);
    if (openBatch != null) {
      log.warn(
          "input ended inside batch '{}' after {} points; the incomplete batch is dropped",
          openBatch.getName(),
          batchPoints.size());
    }
    udf.close();
  }

  /** Writes points or batches, refusing the edge the spec does not provide. */
  private static final class CheckedEmitter implements Emitter {
    final ResponseSink out;
    private final Edge provides;

    /** Whether an emit has failed: output may be half written, so the session cannot go on. */
    boolean failed;

    CheckedEmitter(ResponseSink out, Edge provides) {
      this.out = out;
      this.provides = provides;
    }

    @Override
    public void emit(Point point) {
      try {
        if (provides != Edge.STREAM) {
          throw new IllegalStateException(
              "this UDF provides batches (see its UdfSpec); emit a Batch, not a point");
        }
        out.send(UdfProto.Response.newBuilder().setPoint(point.proto()).build());
      } catch (RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public void emit(Batch batch) {
      try {
        if (provides != Edge.BATCH) {
          throw new IllegalStateException(
              "this UDF provides a stream (see its UdfSpec); emit points, not a Batch");
        }
        out.send(UdfProto.Response.newBuilder().setBegin(batch.beginMessage()).build());
        for (Point p : batch.points())
          out.send(UdfProto.Response.newBuilder().setPoint(p.proto()).build());
        out.send(UdfProto.Response.newBuilder().setEnd(batch.endMessage()).build());
      } catch (RuntimeException e) {
        failed = true;
        throw e;
      }
    }
  }
}
