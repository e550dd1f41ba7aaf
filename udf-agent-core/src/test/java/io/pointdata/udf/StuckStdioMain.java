package io.pointdata.udf;

/**
 * A process UDF for {@link ProcessModeTest} whose handler never returns from a point tagged
 * kind=stuck, and ignores interrupts while at it.
 */
public final class StuckStdioMain {
  private StuckStdioMain() {}

  public static void main(String[] args) throws Exception {
    UdfAgent.main(
        args,
        () ->
            new Udf() {
              @Override
              public UdfSpec spec() {
                return UdfSpec.stream().build();
              }

              @Override
              public void point(Point point, Emitter out) {
                if ("stuck".equals(point.tag("kind"))) {
                  while (true) Thread.onSpinWait();
                }
                out.emit(point);
              }
            });
  }
}
