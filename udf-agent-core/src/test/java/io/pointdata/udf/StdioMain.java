package io.pointdata.udf;

/**
 * A process UDF for {@link ProcessModeTest}: forwards points, runs an idle timer, and prints to
 * System.out on purpose.
 */
public final class StdioMain {
  private StdioMain() {}

  public static void main(String[] args) throws Exception {
    UdfAgent.main(
        args,
        () ->
            new Udf() {
              @Override
              public UdfSpec spec() {
                System.out.println("a stray println must not reach the protocol");
                // A timer too: its thread must not keep the process alive at end of input.
                return UdfSpec.stream()
                    .options(Option.ofDouble("max", 25.0))
                    .timer(java.time.Duration.ofMillis(10))
                    .build();
              }

              @Override
              public void point(Point point, Emitter out) {
                out.emit(point);
              }
            });
  }
}
