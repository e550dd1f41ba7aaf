package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A batch UDF gets whole batches and its emitted batches are framed where Kapacitor looks. */
class BatchUdfTest {

  /** Keeps the points of each batch above a level, as a new batch. */
  static final class Above implements Udf {
    final AtomicReference<Batch> received = new AtomicReference<>();

    @Override
    public UdfSpec spec() {
      return UdfSpec.batch().build();
    }

    @Override
    public void batch(Batch batch, Emitter out) {
      received.set(batch);
      Batch.Builder fresh = batch.toBuilder().clearPoints();
      for (Point p : batch.points()) if (p.doubleField("v") > 1) fresh.point(p);
      out.emit(fresh.build());
    }
  }

  private static Request begin() {
    return Request.newBuilder()
        .setBegin(
            UdfProto.BeginBatch.newBuilder()
                .setName("cpu")
                .setGroup("host=a")
                .putTags("host", "a")
                .setSize(3)
                .setByName(true))
        .build();
  }

  private static UdfProto.Point batchPoint(long time, double v) {
    return UdfProto.Point.newBuilder()
        .setTime(time)
        .setGroup("host=a")
        .putTags("host", "a")
        .putFieldsDouble("v", v)
        .build();
  }

  private static Request end() {
    return Request.newBuilder()
        .setEnd(
            UdfProto.EndBatch.newBuilder()
                .setName("cpu")
                .setGroup("host=a")
                .putTags("host", "a")
                .setTmax(30))
        .build();
  }

  @Test
  void clearPointsKeepsEverythingButThePoints() {
    Point p = Point.named("cpu").field("v", 1.0).build();
    Batch batch =
        Batch.named("cpu")
            .group("host=a")
            .tag("host", "a")
            .byName(true)
            .tmax(30)
            .point(p)
            .point(p)
            .build();
    Batch emptied = batch.toBuilder().clearPoints().build();
    assertEquals(
        Batch.named("cpu").group("host=a").tag("host", "a").byName(true).tmax(30).build(), emptied);
    assertEquals(0, emptied.size());
    assertEquals(List.of(p), batch.toBuilder().clearPoints().point(p).build().points());
    assertEquals(2, batch.size(), "the original batch is unchanged");
  }

  @Test
  void batchArrivesWholeWithItsNameTagsTmaxAndByName() throws Exception {
    Above udf = new Above();
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.init().take(MessageCase.INIT);
      wire.send(begin())
          .point(batchPoint(10, 1))
          .point(batchPoint(20, 2))
          .point(batchPoint(30, 3))
          .send(end());
      UdfProto.BeginBatch begin = wire.take(MessageCase.BEGIN).getBegin();
      Batch got = udf.received.get();
      assertEquals("cpu", got.name());
      assertEquals("host=a", got.group());
      assertEquals(java.util.Map.of("host", "a"), got.tags());
      assertEquals(30, got.tmax());
      assertTrue(got.byName(), "byName comes from BeginBatch");
      assertEquals(3, got.size());
      assertEquals(2, begin.getSize(), "BeginBatch.size is the number of points emitted");
      assertTrue(begin.getByName(), begin::toString);
      assertEquals(20, wire.take(MessageCase.POINT).getPoint().getTime());
      assertEquals(30, wire.take(MessageCase.POINT).getPoint().getTime());
      UdfProto.EndBatch end = wire.take(MessageCase.END).getEnd();
      assertEquals("cpu", end.getName());
      assertEquals(30, end.getTmax());
      assertEquals(java.util.Map.of("host", "a"), end.getTagsMap());
    }
  }

  @Test
  void emptyBatchIsEmittedAsBeginAndEnd() throws Exception {
    try (AgentWire wire = AgentWire.start(new Above())) {
      wire.init().take(MessageCase.INIT);
      wire.send(begin()).send(end());
      assertEquals(0, wire.take(MessageCase.BEGIN).getBegin().getSize());
      wire.take(MessageCase.END);
    }
  }

  @Test
  void batchUdfGivenAStreamPointAnswersWithAnError() throws Exception {
    try (AgentWire wire = AgentWire.start(new Above())) {
      wire.init().take(MessageCase.INIT);
      wire.point(batchPoint(1, 1));
      assertEquals(
          "error processing request of type point: received a stream point, but this UDF wants a"
              + " batch (its Info says wants=BATCH)",
          wire.take(MessageCase.ERROR).getError().getError());
    }
  }
}
