package io.pointdata.udf.bench;

import io.pointdata.udf.Emitter;
import io.pointdata.udf.InitContext;
import io.pointdata.udf.Option;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfSpec;

/** Forwards points whose {@code field} is below {@code min} or above {@code max}: the EII temperature classifier. */
public final class TemperatureThreshold implements Udf {
  static final Option<String> FIELD = Option.ofString("field", "temperature");
  static final Option<Double> MIN = Option.ofDouble("min", 20.0);
  static final Option<Double> MAX = Option.ofDouble("max", 25.0);

  private String field;
  private double min;
  private double max;

  @Override
  public UdfSpec spec() {
    return UdfSpec.stream().options(FIELD, MIN, MAX).build();
  }

  @Override
  public void init(InitContext ctx) {
    field = ctx.get(FIELD);
    min = ctx.get(MIN);
    max = ctx.get(MAX);
  }

  @Override
  public void point(Point point, Emitter out) {
    double value = point.doubleField(field);
    if (value < min || value > max) out.emit(point);
  }

  /** True if a point with this temperature comes back, for the driver's count. */
  static boolean forwards(double temperature) {
    return temperature < 20.0 || temperature > 25.0;
  }
}
