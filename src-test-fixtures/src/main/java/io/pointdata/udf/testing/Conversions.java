package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kapacitor's data conversions (udf/server.go): the shape of what it sends a UDF, and what it makes
 * of what a UDF sends back.
 */
final class Conversions {
  private Conversions() {}

  /**
   * A stream point as Kapacitor writes it: dimensions sorted (its group-by keeps them so) and the
   * group id computed from them; every other attribute as given.
   */
  static UdfProto.Point streamPointIn(UdfProto.Point point) {
    List<String> dims = new ArrayList<>(point.getDimensionsList());
    dims.sort(null);
    return point.toBuilder()
        .clearDimensions()
        .addAllDimensions(dims)
        .setGroup(GroupIds.of(point.getName(), point.getTagsMap(), dims, point.getByName()))
        .build();
  }

  /** The group id of a batch with these group tags, as Kapacitor computes it: keys sorted. */
  static String batchGroup(String name, Map<String, String> tags, boolean byName) {
    return GroupIds.of(name, tags, new ArrayList<>(new TreeMap<>(tags).keySet()), byName);
  }

  /**
   * A batch point as Kapacitor writes it: time, group, tags (the batch's group tags included) and
   * fields; no name, database, retention policy, dimensions or byName.
   */
  static UdfProto.Point batchPointIn(
      UdfProto.Point point, String group, Map<String, String> groupTags) {
    Map<String, String> tags = new HashMap<>(groupTags);
    tags.putAll(point.getTagsMap());
    return UdfProto.Point.newBuilder()
        .setTime(point.getTime())
        .setGroup(group)
        .putAllTags(tags)
        .putAllFieldsDouble(point.getFieldsDoubleMap())
        .putAllFieldsInt(point.getFieldsIntMap())
        .putAllFieldsString(point.getFieldsStringMap())
        .putAllFieldsBool(point.getFieldsBoolMap())
        .build();
  }

  /** The requests Kapacitor writes for one batch. */
  static List<UdfProto.Request> batchRequests(
      String name,
      Map<String, String> tags,
      boolean byName,
      long tmax,
      List<UdfProto.Point> points) {
    String group = batchGroup(name, tags, byName);
    List<UdfProto.Request> requests = new ArrayList<>();
    requests.add(
        UdfProto.Request.newBuilder()
            .setBegin(
                UdfProto.BeginBatch.newBuilder()
                    .setName(name)
                    .setGroup(group)
                    .putAllTags(tags)
                    .setSize(points.size())
                    .setByName(byName))
            .build());
    for (UdfProto.Point p : points) {
      requests.add(UdfProto.Request.newBuilder().setPoint(batchPointIn(p, group, tags)).build());
    }
    requests.add(
        UdfProto.Request.newBuilder()
            .setEnd(
                UdfProto.EndBatch.newBuilder()
                    .setName(name)
                    .setGroup(group)
                    .setTmax(tmax)
                    .putAllTags(tags))
            .build());
    return requests;
  }

  /**
   * A stream point from a UDF as Kapacitor's NewPointMessage makes it; the UDF's group is ignored.
   */
  static UdfProto.Point streamPointOut(UdfProto.Point p) {
    UdfProto.Point.Builder out =
        UdfProto.Point.newBuilder()
            .setTime(p.getTime())
            .setName(p.getName())
            .setDatabase(p.getDatabase())
            .setRetentionPolicy(p.getRetentionPolicy())
            .addAllDimensions(p.getDimensionsList())
            .setByName(p.getByName())
            .putAllTags(p.getTagsMap())
            .setGroup(
                GroupIds.of(p.getName(), p.getTagsMap(), p.getDimensionsList(), p.getByName()));
    return putMergedFields(out, p).build();
  }

  /** A point inside a batch from a UDF: Kapacitor keeps time, tags and fields only. */
  static UdfProto.Point batchPointOut(UdfProto.Point p) {
    return putMergedFields(
            UdfProto.Point.newBuilder().setTime(p.getTime()).putAllTags(p.getTagsMap()), p)
        .build();
  }

  /** A batch from a UDF, as Kapacitor assembles it at EndBatch. */
  static Output.Batch batchOut(
      UdfProto.BeginBatch begin, List<UdfProto.Point> points, UdfProto.EndBatch end) {
    String group = batchGroup(end.getName(), end.getTagsMap(), begin.getByName());
    return new Output.Batch(
        end.getName(), group, end.getTagsMap(), begin.getByName(), end.getTmax(), points);
  }

  /**
   * Fields merged as Kapacitor merges them into one map: strings, ints, doubles, bools; later wins.
   */
  private static UdfProto.Point.Builder putMergedFields(
      UdfProto.Point.Builder out, UdfProto.Point p) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.putAll(p.getFieldsStringMap());
    fields.putAll(p.getFieldsIntMap());
    fields.putAll(p.getFieldsDoubleMap());
    fields.putAll(p.getFieldsBoolMap());
    fields.forEach(
        (k, v) -> {
          if (v instanceof String s) out.putFieldsString(k, s);
          else if (v instanceof Long l) out.putFieldsInt(k, l);
          else if (v instanceof Double d) out.putFieldsDouble(k, d);
          else out.putFieldsBool(k, (Boolean) v);
        });
    return out;
  }
}
