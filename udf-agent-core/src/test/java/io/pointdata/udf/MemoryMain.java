package io.pointdata.udf;

import java.util.Arrays;

/**
 * A UDF for {@link MemoryPressureTest}, run in a JVM of its own with the recommended heap: {@code
 * stream} forwards every point unchanged (as a filter does); {@code batch} holds each batch whole
 * and answers it with one point counting its points. The rest of the arguments are {@link
 * UdfAgent#main}'s, so the agent runs with its defaults, as shipped.
 */
public final class MemoryMain {
  private MemoryMain() {}

  public static void main(String[] args) throws Exception {
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    UdfAgent.main(rest, args[0].equals("batch") ? Counter::new : Forward::new);
  }

  static final class Forward implements Udf {
    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().build();
    }

    @Override
    public void point(Point point, Emitter out) {
      out.emit(point);
    }
  }

  static final class Counter implements Udf {
    @Override
    public UdfSpec spec() {
      return UdfSpec.wants(Edge.BATCH).provides(Edge.STREAM).build();
    }

    @Override
    public void batch(Batch batch, Emitter out) {
      out.emit(
          Point.named(batch.name())
              .time(batch.tmax())
              .field("points", (long) batch.points().size())
              .build());
    }
  }
}
