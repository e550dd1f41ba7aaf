package io.pointdata.udf.examples;

/**
 * The demo's executable jar: {@code java -jar udf-demo.jar [OPTIONS]}. It lives in the examples'
 * package to drive their specs and spawn their {@link Main}, but ships apart from them, so the jar
 * deployed beside Kapacitor holds no Kapacitor simulator.
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    int status = Demo.run(args, System.out, System.err);
    if (status != 0) System.exit(status);
  }
}
