package io.pointdata.udf.testing.conformance;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.testing.TaskSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The input of a data check: stream points, or whole batches, each written to the UDF as Kapacitor
 * writes it. A unit is one stream point or one batch (BeginBatch, its points, EndBatch): the data
 * checks pace and cut the input between units, never inside a batch.
 */
public final class Feed {
  /**
   * A batch as a TICKscript's batch node hands it to the UDF.
   *
   * @param tmax the batch's tmax; 0 takes the latest point time
   */
  public record Batch(
      String name,
      Map<String, String> tags,
      boolean byName,
      long tmax,
      List<UdfProto.Point> points) {
    public Batch {
      Objects.requireNonNull(name, "name == null");
      tags = Map.copyOf(tags);
      points = List.copyOf(points);
    }
  }

  /** 2024-01-01T00:00:00Z, the runner's first point time. */
  private static final long FIRST_TIME = 1_704_067_200_000_000_000L;

  private final List<Consumer<TaskSession>> units;
  private final String unitName;

  private Feed(List<Consumer<TaskSession>> units, String unitName) {
    this.units = List.copyOf(units);
    this.unitName = unitName;
  }

  /** Stream points, each a unit. */
  public static Feed points(List<UdfProto.Point> points) {
    return new Feed(
        points.stream().<Consumer<TaskSession>>map(p -> task -> task.sendPoint(p)).toList(),
        "point");
  }

  /** Batches, each a unit. */
  public static Feed batches(List<Batch> batches) {
    return new Feed(
        batches.stream()
            .<Consumer<TaskSession>>map(
                b ->
                    task ->
                        task.sendBatch(
                            b.name(),
                            b.tags(),
                            b.byName(),
                            b.tmax() != 0
                                ? b.tmax()
                                : b.points().stream()
                                    .mapToLong(UdfProto.Point::getTime)
                                    .max()
                                    .orElse(0),
                            b.points()))
            .toList(),
        "batch");
  }

  /**
   * The runner's input: {@code units} points, or batches of {@link ConformanceConfig#BATCH_SIZE}
   * for a UDF that wants batches, from the templates in turn, a second apart.
   */
  static Feed generated(List<UdfProto.Point> templates, UdfProto.EdgeType wants, int units) {
    int perUnit = wants == UdfProto.EdgeType.BATCH ? ConformanceConfig.BATCH_SIZE : 1;
    List<UdfProto.Point> points = new ArrayList<>();
    for (int i = 0; i < units * perUnit; i++) {
      UdfProto.Point template = templates.get(i % templates.size());
      points.add(template.toBuilder().setTime(FIRST_TIME + i * 1_000_000_000L).build());
    }
    if (perUnit == 1) return points(points);
    List<Batch> batches = new ArrayList<>();
    for (int from = 0; from < points.size(); from += perUnit) {
      List<UdfProto.Point> batch = points.subList(from, from + perUnit);
      batches.add(
          new Batch(
              batch.get(0).getName(),
              Map.of(),
              false,
              batch.get(perUnit - 1).getTime(),
              batch.stream().map(p -> p.toBuilder().clearName().build()).toList()));
    }
    return batches(batches);
  }

  /** How many units. */
  public int size() {
    return units.size();
  }

  /** "point" or "batch", for messages. */
  String unitName() {
    return unitName;
  }

  /**
   * Writes units {@code from} (inclusive) to {@code to} (exclusive) back to back, without waiting.
   */
  void send(TaskSession task, int from, int to) {
    for (int i = from; i < to; i++) units.get(i).accept(task);
  }
}
