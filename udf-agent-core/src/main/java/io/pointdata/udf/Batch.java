package io.pointdata.udf;

import io.pointdata.udf.proto.UdfProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole batch: the points between a BeginBatch and its EndBatch, with the batch's name, group,
 * tags, byName and tmax. Immutable.
 *
 * <p>Kapacitor takes the name, tags and tmax of a batch a UDF sends from its EndBatch and byName
 * from its BeginBatch; of each point it keeps only time, tags and fields. {@link
 * Emitter#emit(Batch)} writes all of them where Kapacitor looks.
 */
public final class Batch {
  private final String name;
  private final String group;
  private final Map<String, String> tags;
  private final boolean byName;
  private final long tmax;
  private final List<Point> points;

  private Batch(Builder b) {
    this.name = b.name;
    this.group = b.group;
    this.tags = Map.copyOf(b.tags);
    this.byName = b.byName;
    this.tmax = b.tmax;
    this.points = List.copyOf(b.points);
  }

  /** Assembles a received batch from its protocol messages. */
  static Batch of(UdfProto.BeginBatch begin, List<Point> points, UdfProto.EndBatch end) {
    Builder b =
        named(end.getName()).group(end.getGroup()).tags(end.getTagsMap()).tmax(end.getTmax());
    b.byName(begin.getByName());
    b.points.addAll(points);
    return b.build();
  }

  /** A builder for a batch with the given measurement name. */
  public static Builder named(String name) {
    return new Builder().name(name);
  }

  /** A builder holding a copy of this batch. */
  public Builder toBuilder() {
    Builder b = named(name).group(group).tags(tags).byName(byName).tmax(tmax);
    b.points.addAll(points);
    return b;
  }

  public String name() {
    return name;
  }

  /** Kapacitor's group id of the batch. */
  public String group() {
    return group;
  }

  /** The group's tags. */
  public Map<String, String> tags() {
    return tags;
  }

  public boolean byName() {
    return byName;
  }

  /** The batch's time (its window's end), in nanoseconds since the epoch. */
  public long tmax() {
    return tmax;
  }

  public List<Point> points() {
    return points;
  }

  public int size() {
    return points.size();
  }

  UdfProto.BeginBatch beginMessage() {
    return UdfProto.BeginBatch.newBuilder()
        .setName(name)
        .setGroup(group)
        .putAllTags(tags)
        .setSize(points.size())
        .setByName(byName)
        .build();
  }

  UdfProto.EndBatch endMessage() {
    return UdfProto.EndBatch.newBuilder()
        .setName(name)
        .setGroup(group)
        .putAllTags(tags)
        .setTmax(tmax)
        .setByName(byName)
        .build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Batch other
        && name.equals(other.name)
        && group.equals(other.group)
        && tags.equals(other.tags)
        && byName == other.byName
        && tmax == other.tmax
        && points.equals(other.points);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, group, tags, byName, tmax, points);
  }

  @Override
  public String toString() {
    return "Batch(" + name + " " + tags + ", " + points.size() + " points, tmax " + tmax + ")";
  }

  /** Builds a {@link Batch}. */
  public static final class Builder {
    private String name = "";
    private String group = "";
    private final Map<String, String> tags = new LinkedHashMap<>();
    private boolean byName;
    private long tmax;
    private final List<Point> points = new ArrayList<>();

    private Builder() {}

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    public Builder group(String group) {
      this.group = Objects.requireNonNull(group, "group == null");
      return this;
    }

    public Builder tag(String key, String value) {
      tags.put(
          Objects.requireNonNull(key, "key == null"),
          Objects.requireNonNull(value, "value == null"));
      return this;
    }

    public Builder tags(Map<String, String> tags) {
      tags.forEach(this::tag);
      return this;
    }

    public Builder byName(boolean byName) {
      this.byName = byName;
      return this;
    }

    /** Sets the batch time in nanoseconds since the epoch. */
    public Builder tmax(long tmax) {
      this.tmax = tmax;
      return this;
    }

    /** Appends a point. */
    public Builder point(Point point) {
      points.add(Objects.requireNonNull(point, "point == null"));
      return this;
    }

    /** Appends the points, after those already added. */
    public Builder points(List<Point> points) {
      points.forEach(this::point);
      return this;
    }

    /**
     * Removes the points added so far, keeping the rest: {@code batch.toBuilder().clearPoints()}
     * starts an output batch with the input's name, group, tags, byName and tmax.
     */
    public Builder clearPoints() {
      points.clear();
      return this;
    }

    public Batch build() {
      return new Batch(this);
    }
  }
}
