package io.pointdata.udf;

import io.pointdata.udf.internal.RawPoints;
import io.pointdata.udf.proto.UdfProto;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * One point of a stream or of a batch: an immutable view of Kapacitor's point.
 *
 * <p>Fields are typed as Kapacitor sent them (double, int, string or bool). The numeric readers
 * accept either number type, because the same field may arrive as an int in one point and a double
 * in the next (a frequent cause of InfluxDB field-type conflicts). Readers of a field that is
 * absent or of another type throw {@link UdfException} naming the point and its fields; the {@code
 * find} readers return empty instead.
 *
 * <p>Points in a batch carry only time, tags and fields: Kapacitor puts the name on the batch.
 *
 * <p>To change a point, copy it: {@code point.toBuilder().field("score", 0.9).build()} keeps the
 * name, database, retention policy, dimensions and byName, which Kapacitor needs to route and group
 * the point it gets back.
 */
public final class Point {
  private final UdfProto.Point proto;

  private Point(UdfProto.Point proto) {
    this.proto = proto;
  }

  /** Wraps a protocol point without copying it. */
  static Point wrap(UdfProto.Point proto) {
    return new Point(proto);
  }

  /** A builder for a new point with the given measurement name. */
  public static Builder named(String name) {
    return new Builder(UdfProto.Point.newBuilder()).name(name);
  }

  /** A builder for a new point without a name, as points inside a batch are. */
  public static Builder builder() {
    return new Builder(UdfProto.Point.newBuilder());
  }

  /** A builder holding a copy of this point. */
  public Builder toBuilder() {
    return new Builder(proto.toBuilder());
  }

  /** The protocol point this view wraps. */
  UdfProto.Point proto() {
    return proto;
  }

  /** Nanoseconds since the epoch, UTC. */
  public long time() {
    return proto.getTime();
  }

  /** The measurement; empty for points inside a batch. */
  public String name() {
    return proto.getName();
  }

  public String database() {
    return proto.getDatabase();
  }

  public String retentionPolicy() {
    return proto.getRetentionPolicy();
  }

  /** Kapacitor's group id; Kapacitor ignores it on points a UDF sends back. */
  public String group() {
    return proto.getGroup();
  }

  /** The group-by tag names. */
  public List<String> dimensions() {
    return proto.getDimensionsList();
  }

  public boolean byName() {
    return proto.getByName();
  }

  public Map<String, String> tags() {
    return proto.getTagsMap();
  }

  /** The tag's value, or null if the point has no such tag (as {@link Map#get}). */
  public String tag(String key) {
    return proto.getTagsOrDefault(key, null);
  }

  /** The tag's value; empty if the point has no such tag. */
  public Optional<String> findTag(String key) {
    return Optional.ofNullable(proto.getTagsOrDefault(key, null));
  }

  /**
   * The tag's value as Kapacitor sent it, or null if the point has no such tag. Kapacitor forwards
   * whatever bytes it was written, which need not be valid UTF-8; the strings of a point (its name,
   * tags, string fields) show each bad sequence as U+FFFD, and these {@code raw} methods give the
   * bytes themselves: while the point's call runs, or for a batch's point until the batch ends.
   * Otherwise, and for a point built here, they give the string's UTF-8. A point emitted unchanged
   * goes back to Kapacitor byte for byte either way.
   */
  public byte[] rawTag(String key) {
    return RawPoints.tag(proto, key);
  }

  /**
   * The string field's bytes as Kapacitor sent them, or null if there is no such string field; see
   * {@link #rawTag}.
   */
  public byte[] rawStringField(String key) {
    return RawPoints.stringField(proto, key);
  }

  /** The measurement's bytes as Kapacitor sent them; see {@link #rawTag}. */
  public byte[] rawName() {
    return RawPoints.name(proto);
  }

  public boolean hasField(String key) {
    return proto.containsFieldsDouble(key)
        || proto.containsFieldsInt(key)
        || proto.containsFieldsString(key)
        || proto.containsFieldsBool(key);
  }

  /** The field as a double, whether it was sent as a double or an int. */
  public double doubleField(String key) {
    if (proto.containsFieldsDouble(key)) return proto.getFieldsDoubleOrThrow(key);
    if (proto.containsFieldsInt(key)) return proto.getFieldsIntOrThrow(key);
    throw missing(key, "numeric");
  }

  /** The field as a double if it is numeric; empty if absent or not a number. */
  public OptionalDouble findDouble(String key) {
    if (proto.containsFieldsDouble(key))
      return OptionalDouble.of(proto.getFieldsDoubleOrThrow(key));
    if (proto.containsFieldsInt(key)) return OptionalDouble.of(proto.getFieldsIntOrThrow(key));
    return OptionalDouble.empty();
  }

  /** The field as a long: an int field, or a double field that holds a whole number. */
  public long longField(String key) {
    if (proto.containsFieldsInt(key)) return proto.getFieldsIntOrThrow(key);
    if (proto.containsFieldsDouble(key)) {
      double d = proto.getFieldsDoubleOrThrow(key);
      long l = (long) d;
      if (l == d) return l;
      throw new UdfException(
          "field '" + key + "'" + ofPoint() + " is " + d + ", not a whole number");
    }
    throw missing(key, "numeric");
  }

  public String stringField(String key) {
    if (proto.containsFieldsString(key)) return proto.getFieldsStringOrThrow(key);
    throw missing(key, "string");
  }

  /** The string field; empty if the point has no string field of that name. */
  public Optional<String> findString(String key) {
    return Optional.ofNullable(proto.getFieldsStringOrDefault(key, null));
  }

  public boolean boolField(String key) {
    if (proto.containsFieldsBool(key)) return proto.getFieldsBoolOrThrow(key);
    throw missing(key, "bool");
  }

  public Map<String, Double> doubleFields() {
    return proto.getFieldsDoubleMap();
  }

  public Map<String, Long> intFields() {
    return proto.getFieldsIntMap();
  }

  public Map<String, String> stringFields() {
    return proto.getFieldsStringMap();
  }

  public Map<String, Boolean> boolFields() {
    return proto.getFieldsBoolMap();
  }

  private UdfException missing(String key, String kind) {
    String present = hasField(key) ? "is not " + article(kind) + " field" : "is missing";
    return new UdfException(
        "field '" + key + "'" + ofPoint() + " " + present + "; fields: " + describeFields());
  }

  private static String article(String kind) {
    return (kind.startsWith("i") ? "an " : "a ") + kind;
  }

  private String ofPoint() {
    return proto.getName().isEmpty() ? "" : " of point '" + proto.getName() + "'";
  }

  private String describeFields() {
    TreeSet<String> fields = new TreeSet<>();
    proto.getFieldsDoubleMap().keySet().forEach(k -> fields.add(k + " (double)"));
    proto.getFieldsIntMap().keySet().forEach(k -> fields.add(k + " (int)"));
    proto.getFieldsStringMap().keySet().forEach(k -> fields.add(k + " (string)"));
    proto.getFieldsBoolMap().keySet().forEach(k -> fields.add(k + " (bool)"));
    return fields.isEmpty() ? "none" : String.join(", ", fields);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Point other && proto.equals(other.proto);
  }

  @Override
  public int hashCode() {
    return proto.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(proto.getName().isEmpty() ? "point" : proto.getName());
    proto.getTagsMap().forEach((k, v) -> s.append(',').append(k).append('=').append(v));
    s.append(' ').append(describeValues()).append(' ').append(proto.getTime());
    return s.toString();
  }

  private String describeValues() {
    StringBuilder s = new StringBuilder();
    proto.getFieldsDoubleMap().forEach((k, v) -> s.append(k).append('=').append(v).append(','));
    proto.getFieldsIntMap().forEach((k, v) -> s.append(k).append('=').append(v).append("i,"));
    proto.getFieldsStringMap().forEach((k, v) -> s.append(k).append("=\"").append(v).append("\","));
    proto.getFieldsBoolMap().forEach((k, v) -> s.append(k).append('=').append(v).append(','));
    if (s.length() > 0) s.setLength(s.length() - 1);
    return s.toString();
  }

  /**
   * Builds a {@link Point}. Setting a field replaces any field of the same name and another type,
   * so the point Kapacitor stores has the type last set.
   */
  public static final class Builder {
    private final UdfProto.Point.Builder proto;

    private Builder(UdfProto.Point.Builder proto) {
      this.proto = proto;
    }

    public Builder name(String name) {
      proto.setName(Objects.requireNonNull(name, "name == null"));
      return this;
    }

    /** Sets the time in nanoseconds since the epoch. */
    public Builder time(long nanos) {
      proto.setTime(nanos);
      return this;
    }

    /** Sets the time; Kapacitor keeps nanoseconds. */
    public Builder time(Instant time) {
      proto.setTime(
          Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano()));
      return this;
    }

    public Builder database(String database) {
      proto.setDatabase(Objects.requireNonNull(database, "database == null"));
      return this;
    }

    public Builder retentionPolicy(String retentionPolicy) {
      proto.setRetentionPolicy(Objects.requireNonNull(retentionPolicy, "retentionPolicy == null"));
      return this;
    }

    /** Sets the group id; useful for test input only, as Kapacitor recomputes it on output. */
    public Builder group(String group) {
      proto.setGroup(Objects.requireNonNull(group, "group == null"));
      return this;
    }

    public Builder dimensions(List<String> dimensions) {
      proto.clearDimensions().addAllDimensions(dimensions);
      return this;
    }

    public Builder byName(boolean byName) {
      proto.setByName(byName);
      return this;
    }

    public Builder tag(String key, String value) {
      proto.putTags(
          Objects.requireNonNull(key, "key == null"),
          Objects.requireNonNull(value, "value == null"));
      return this;
    }

    public Builder tags(Map<String, String> tags) {
      proto.putAllTags(tags);
      return this;
    }

    public Builder removeTag(String key) {
      proto.removeTags(key);
      return this;
    }

    public Builder field(String key, double value) {
      removeField(key);
      proto.putFieldsDouble(key, value);
      return this;
    }

    public Builder field(String key, long value) {
      removeField(key);
      proto.putFieldsInt(key, value);
      return this;
    }

    public Builder field(String key, String value) {
      Objects.requireNonNull(value, "value == null");
      removeField(key);
      proto.putFieldsString(key, value);
      return this;
    }

    public Builder field(String key, boolean value) {
      removeField(key);
      proto.putFieldsBool(key, value);
      return this;
    }

    /** Removes the field of that name, whatever its type. */
    public Builder removeField(String key) {
      Objects.requireNonNull(key, "key == null");
      proto
          .removeFieldsDouble(key)
          .removeFieldsInt(key)
          .removeFieldsString(key)
          .removeFieldsBool(key);
      return this;
    }

    /** Removes every field. */
    public Builder clearFields() {
      proto.clearFieldsDouble().clearFieldsInt().clearFieldsString().clearFieldsBool();
      return this;
    }

    public Point build() {
      return new Point(proto.build());
    }
  }
}
