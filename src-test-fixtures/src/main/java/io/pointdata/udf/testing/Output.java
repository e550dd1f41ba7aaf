package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.Protocol;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a UDF sent, as Kapacitor turns it into its own messages and forwards it down the pipeline: a
 * stream point, or a whole batch.
 */
public sealed interface Output {
  /**
   * A stream point as Kapacitor forwards it: group recomputed from name, tags, dimensions and
   * byName; fields merged into one map so that a name holds one type (strings, then ints, then
   * doubles, then bools, later types winning).
   */
  record StreamPoint(UdfProto.Point point) implements Output {
    public StreamPoint {
      Objects.requireNonNull(point, "point == null");
    }

    /** The point as one line of line protocol, as a failing assertion should show it. */
    @Override
    public String toString() {
      return Protocol.point(point).toString();
    }
  }

  /**
   * A batch as Kapacitor forwards it: name, tags and tmax from the UDF's EndBatch, byName from its
   * BeginBatch, the group recomputed from them; each point keeps only time, tags and merged fields.
   */
  record Batch(
      String name,
      String group,
      Map<String, String> tags,
      boolean byName,
      long tmax,
      List<UdfProto.Point> points)
      implements Output {
    public Batch {
      tags = Map.copyOf(tags);
      points = List.copyOf(points);
    }

    /** The batch's header, then its points as lines of line protocol. */
    @Override
    public String toString() {
      StringBuilder s =
          new StringBuilder("batch ")
              .append(name.isEmpty() ? "(no name)" : name)
              .append(" group=")
              .append(group)
              .append(" tags=")
              .append(tags)
              .append(" tmax=")
              .append(tmax)
              .append(", ")
              .append(points.size())
              .append(points.size() == 1 ? " point" : " points");
      for (UdfProto.Point p : points) s.append("\n  ").append(Protocol.point(p));
      return s.toString();
    }
  }
}
