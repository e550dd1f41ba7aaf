package ${package};

import io.pointdata.udf.Emitter;
import io.pointdata.udf.InitContext;
import io.pointdata.udf.Option;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfAgent;
import io.pointdata.udf.UdfSpec;

/** Forwards the points whose {@code field} exceeds {@code threshold} (90.0 unless set). */
public final class Threshold implements Udf {
  static final Option<String> FIELD = Option.ofString("field");
  static final Option<Double> THRESHOLD = Option.ofDouble("threshold", 90.0);

  private String field;
  private double threshold;

  @Override
  public UdfSpec spec() {
    return UdfSpec.stream().options(FIELD, THRESHOLD).build();
  }

  @Override
  public void init(InitContext ctx) {
    field = ctx.get(FIELD);
    threshold = ctx.get(THRESHOLD);
  }

  @Override
  public void point(Point point, Emitter out) {
    if (point.doubleField(field) > threshold) out.emit(point);
  }

  /** A process UDF reading stdin and writing stdout; with {@code --socket PATH}, a socket UDF. */
  public static void main(String[] args) throws Exception {
    UdfAgent.main(args, Threshold::new);
  }
}
