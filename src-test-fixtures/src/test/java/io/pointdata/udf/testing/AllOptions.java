package io.pointdata.udf.testing;

import io.pointdata.udf.Emitter;
import io.pointdata.udf.Option;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfSpec;
import java.time.Duration;

/** A UDF taking an option of every type, a repeatable one and a flag; it forwards every point. */
final class AllOptions implements Udf {
  static final Option<String> FIELD = Option.ofString("field", "value");
  static final Option<Integer> SIZE = Option.ofInt("size", 1);
  static final Option<Double> RATIO = Option.ofDouble("ratio", 1.0);
  static final Option<Duration> PERIOD = Option.ofDuration("period", Duration.ofSeconds(1));
  static final Option<Boolean> ENABLED = Option.ofBool("enabled", true);
  static final Option<String> TAG = Option.ofString("tag").optional().repeatable();
  static final Option<Boolean> STRICT = Option.flag("strict");

  @Override
  public UdfSpec spec() {
    return UdfSpec.stream().options(FIELD, SIZE, RATIO, PERIOD, ENABLED, TAG, STRICT).build();
  }

  @Override
  public void point(Point point, Emitter out) {
    out.emit(point);
  }
}
