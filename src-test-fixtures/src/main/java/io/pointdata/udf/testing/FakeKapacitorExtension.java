package io.pointdata.udf.testing;

import io.pointdata.udf.Point;
import io.pointdata.udf.Udf;
import io.pointdata.udf.protocol.UdfHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh {@link FakeKapacitor} for one UDF, and fails the test if the UDF does not
 * stop cleanly.
 *
 * <pre>{@code
 * class ThresholdTest {
 *   @RegisterExtension
 *   static final FakeKapacitorExtension kapacitor = FakeKapacitorExtension.forUdf(Threshold::new);
 *
 *   @Test void forwardsOnlyPointsAboveDefaultThreshold(FakeKapacitor k) {
 *     k.init(Map.of("field", "usage"));
 *     k.send(Point.named("cpu").field("usage", 95.0).build());
 *     assertEquals(95.0, k.takePoint().doubleField("usage"));
 *     k.assertNoMorePoints();
 *   }
 * }
 * }</pre>
 *
 * <p>A {@code FakeKapacitor} parameter of a test method, or of its {@code @BeforeEach} and
 * {@code @AfterEach} methods, is the same instance within one test and a new one for the next. It
 * is kept in the test's {@link ExtensionContext.Store} and closed after the test: its task is
 * stopped as Kapacitor stops it, and anything that would trouble Kapacitor and was not expected by
 * the test (see {@link FakeKapacitor#awaitFailure()}) fails the test. Register one extension per
 * test class.
 *
 * <p>{@link #assertSameOutputWhenPipelined} and {@link #assertStateSurvivesRestore} run the data
 * checks of the conformance runner on a fake of their own, for options given as in a TICKscript.
 */
public final class FakeKapacitorExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FakeKapacitorExtension.class);

  private final UdfTarget target;
  private final Consumer<FakeKapacitor.Builder> settings;

  private FakeKapacitorExtension(UdfTarget target, Consumer<FakeKapacitor.Builder> settings) {
    this.target = target;
    this.settings = settings;
  }

  /** For a UDF run by our agent in this JVM; each session gets a new instance from the supplier. */
  public static FakeKapacitorExtension forUdf(Supplier<? extends Udf> udf) {
    return forTarget(UdfTarget.inJvm(udf));
  }

  /** For a protocol-level handler run by our agent in this JVM. */
  public static FakeKapacitorExtension forHandler(Supplier<? extends UdfHandler> handler) {
    return forTarget(UdfTarget.inJvmHandler(handler));
  }

  /**
   * For a process UDF, started with this command for every session (kapacitor.conf's prog and
   * args).
   */
  public static FakeKapacitorExtension forProcess(List<String> command) {
    return forTarget(UdfTarget.process(command));
  }

  /** For a process UDF with extra environment variables (kapacitor.conf's env). */
  public static FakeKapacitorExtension forProcess(List<String> command, Map<String, String> env) {
    return forTarget(UdfTarget.process(command, env));
  }

  /** For a socket UDF that listens on this path. */
  public static FakeKapacitorExtension forSocket(Path socket) {
    return forTarget(UdfTarget.socket(socket));
  }

  public static FakeKapacitorExtension forTarget(UdfTarget target) {
    return new FakeKapacitorExtension(Objects.requireNonNull(target, "target == null"), b -> {});
  }

  /**
   * This extension with settings applied to every fake it builds, e.g. {@code .with(b ->
   * b.timeout(Duration.ofSeconds(1)).manualClock())}.
   */
  public FakeKapacitorExtension with(Consumer<FakeKapacitor.Builder> more) {
    Objects.requireNonNull(more, "more == null");
    return new FakeKapacitorExtension(target, settings.andThen(more));
  }

  /**
   * Starts a task with these options (as a TICKscript writes them) and runs {@link
   * FakeKapacitor#assertSameOutputWhenPipelined} on a fake of its own, with this extension's
   * settings.
   */
  public void assertSameOutputWhenPipelined(String tickscript, List<Point> points) {
    try (FakeKapacitor fake = build()) {
      fake.init(tickscript).assertSameOutputWhenPipelined(points);
    }
  }

  /**
   * As {@link #assertSameOutputWhenPipelined}, with {@link
   * FakeKapacitor#assertStateSurvivesRestore}.
   */
  public void assertStateSurvivesRestore(String tickscript, List<Point> points) {
    try (FakeKapacitor fake = build()) {
      fake.init(tickscript).assertStateSurvivesRestore(points);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FakeKapacitor.class;
  }

  @Override
  public FakeKapacitor resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return store(context).getOrComputeIfAbsent(this, key -> build(), FakeKapacitor.class);
  }

  private FakeKapacitor build() {
    FakeKapacitor.Builder builder = FakeKapacitor.builder(target);
    settings.accept(builder);
    return builder.build();
  }

  /**
   * Closes the test's fake here rather than leaving it to the store, so a failure fails the test.
   */
  @Override
  public void afterEach(ExtensionContext context) {
    FakeKapacitor fake = store(context).remove(this, FakeKapacitor.class);
    if (fake != null) fake.close();
  }

  private static ExtensionContext.Store store(ExtensionContext context) {
    return context.getStore(NAMESPACE);
  }

  @Override
  public String toString() {
    return "FakeKapacitorExtension(" + target + ")";
  }
}
