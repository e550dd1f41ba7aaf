package io.pointdata.udf.testing;

import io.pointdata.udf.Emitter;
import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.UdfAgent;
import io.pointdata.udf.UdfSpec;

/** Adds the environment variable UDF_GREETING to every point, as a string field of that name. */
public final class EnvEcho implements Udf {
  @Override
  public UdfSpec spec() {
    return UdfSpec.stream().build();
  }

  @Override
  public void point(Point point, Emitter out) {
    out.emit(
        point.toBuilder()
            .field("UDF_GREETING", String.valueOf(System.getenv("UDF_GREETING")))
            .build());
  }

  public static void main(String[] args) throws Exception {
    UdfAgent.main(args, EnvEcho::new);
  }
}
