package io.pointdata.udf.bench;

import io.pointdata.udf.Emitter;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfSpec;

/** Forwards every point unchanged: the agent's own cost, with no work of the UDF's. */
public final class PassThrough implements Udf {
  @Override
  public UdfSpec spec() {
    return UdfSpec.stream().build();
  }

  @Override
  public void point(Point point, Emitter out) {
    out.emit(point);
  }
}
