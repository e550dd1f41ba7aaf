package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pointdata.udf.Batch;
import io.pointdata.udf.Point;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.protocol.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Data shaped as Kapacitor sends it, and converted as Kapacitor converts what comes back. */
class ConversionsTest {
  @Test
  void groupIdsAreThoseOfKapacitorsOwnFrames() {
    for (String frame :
        List.of(
            "req_point_byname_dims",
            "req_point_byname_nodims",
            "req_point_stream_all_field_types",
            "req_point_negative_time_long_tag")) {
      UdfProto.Point p = Golden.wireRequests(frame).get(0).getPoint();
      assertEquals(
          p.getGroup(),
          GroupIds.of(p.getName(), p.getTagsMap(), p.getDimensionsList(), p.getByName()),
          frame);
    }
  }

  @Test
  void groupIdCases() {
    Map<String, String> tags = Map.of("host", "a", "dc", "x");
    assertEquals("", GroupIds.of("cpu", tags, List.of(), false));
    assertEquals("cpu", GroupIds.of("cpu", tags, List.of(), true));
    assertEquals("host=a,dc=x", GroupIds.of("cpu", tags, List.of("host", "dc"), false));
    assertEquals("cpu\nhost=a", GroupIds.of("cpu", tags, List.of("host"), true));
    assertEquals("rack=", GroupIds.of("cpu", tags, List.of("rack"), false));
  }

  @Test
  void streamPointGoesOutWithSortedDimensionsAndItsGroup() {
    UdfProto.Point sent =
        Conversions.streamPointIn(
            Protocol.toProto(
                Point.named("cpu")
                    .tag("host", "a")
                    .tag("dc", "x")
                    .dimensions(List.of("host", "dc"))
                    .group("ignored")
                    .build()));
    assertEquals(List.of("dc", "host"), sent.getDimensionsList());
    assertEquals("dc=x,host=a", sent.getGroup());
  }

  @Test
  void batchGoesOutAsKapacitorWritesIt() {
    Batch batch =
        Batch.named("cpu")
            .tag("host", "a")
            .byName(true)
            .point(
                Point.named("cpu")
                    .database("db")
                    .dimensions(List.of("host"))
                    .tag("core", "0")
                    .time(5)
                    .field("v", 1.0)
                    .build())
            .point(Point.builder().time(9).field("v", 2.0).build())
            .build();
    List<Request> requests =
        Conversions.batchRequests(
            batch.name(),
            batch.tags(),
            batch.byName(),
            FakeKapacitor.tmaxOf(batch),
            batch.points().stream().map(Protocol::toProto).toList());
    assertEquals(
        UdfProto.BeginBatch.newBuilder()
            .setName("cpu")
            .setGroup("cpu\nhost=a")
            .putTags("host", "a")
            .setSize(2)
            .setByName(true)
            .build(),
        requests.get(0).getBegin());
    assertEquals(
        UdfProto.Point.newBuilder()
            .setTime(5)
            .setGroup("cpu\nhost=a")
            .putTags("host", "a")
            .putTags("core", "0")
            .putFieldsDouble("v", 1.0)
            .build(),
        requests.get(1).getPoint());
    assertEquals(
        UdfProto.EndBatch.newBuilder()
            .setName("cpu")
            .setGroup("cpu\nhost=a")
            .setTmax(9)
            .putTags("host", "a")
            .build(),
        requests.get(3).getEnd());
  }

  @Test
  void returnedStreamPointHasItsGroupRecomputedAndFieldsMerged() {
    UdfProto.Point fromUdf =
        UdfProto.Point.newBuilder()
            .setName("cpu")
            .setGroup("wrong")
            .addDimensions("host")
            .putTags("host", "a")
            .putFieldsString("x", "s")
            .putFieldsInt("x", 1)
            .putFieldsDouble("y", 2.0)
            .putFieldsBool("y", true)
            .putFieldsInt("z", 3)
            .putFieldsString("z", "later types win")
            .build();
    UdfProto.Point seen = Conversions.streamPointOut(fromUdf);
    assertEquals("host=a", seen.getGroup());
    assertEquals(Map.of("x", 1L, "z", 3L), seen.getFieldsIntMap());
    assertEquals(Map.of("y", true), seen.getFieldsBoolMap());
    assertEquals(Map.of(), seen.getFieldsStringMap());
    assertEquals(Map.of(), seen.getFieldsDoubleMap());
  }

  @Test
  void returnedBatchTakesNameTagsAndTmaxFromEndAndByNameFromBegin() {
    UdfProto.BeginBatch begin =
        UdfProto.BeginBatch.newBuilder()
            .setName("ignored")
            .putTags("ignored", "1")
            .setByName(true)
            .build();
    UdfProto.EndBatch end =
        UdfProto.EndBatch.newBuilder()
            .setName("mem")
            .putTags("z", "1")
            .putTags("a", "2")
            .setTmax(42)
            .build();
    UdfProto.Point point =
        Conversions.batchPointOut(
            UdfProto.Point.newBuilder()
                .setName("dropped")
                .setDatabase("db")
                .setTime(7)
                .putTags("a", "2")
                .putFieldsDouble("v", 1.0)
                .build());
    Output.Batch seen = Conversions.batchOut(begin, List.of(point), end);
    assertEquals(
        new Output.Batch(
            "mem",
            "mem\na=2,z=1",
            Map.of("z", "1", "a", "2"),
            true,
            42,
            List.of(
                UdfProto.Point.newBuilder()
                    .setTime(7)
                    .putTags("a", "2")
                    .putFieldsDouble("v", 1.0)
                    .build())),
        seen);
  }
}
