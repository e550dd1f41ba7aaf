package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.pointdata.udf.Point;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Response;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension gives each test its own fake and fails a test whose UDF does not stop cleanly. */
class FakeKapacitorExtensionTest {
  @Test
  void testOfACleanUdfPasses() {
    Events tests = run(CleanUdf.class);
    assertEquals(2, tests.succeeded().count(), tests.toString());
    assertEquals(0, tests.failed().count());
  }

  @Test
  void testFailsWhenTheUdfDoesNotStopCleanly() {
    Events tests = run(UdfIgnoringEndOfInput.class);
    assertEquals(1, tests.failed().count());
    Throwable failure =
        tests
            .failed()
            .list()
            .get(0)
            .getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .orElseThrow()
            .getThrowable()
            .orElseThrow();
    assertTrue(
        failure.getMessage().contains("the UDF did not close its output within PT1S"),
        failure.getMessage());
  }

  @Test
  void failureTheTestExpectedDoesNotFailIt() {
    Events tests = run(UdfFailingOnPurpose.class);
    assertEquals(1, tests.succeeded().count(), tests.toString());
  }

  private static Events run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(testClass))
        .execute()
        .testEvents();
  }

  // The classes below are run by the tests above, not on their own (the build skips nested
  // classes).

  static class CleanUdf {
    @RegisterExtension
    static final FakeKapacitorExtension kapacitor = FakeKapacitorExtension.forUdf(Threshold::new);

    private FakeKapacitor initialized;

    @BeforeEach
    void init(FakeKapacitor k) {
      k.init(Map.of("field", "usage"));
      initialized = k;
    }

    @Test
    void sameFakeInBeforeEachAndTest(FakeKapacitor k) {
      assertSame(initialized, k);
      k.send(Point.named("cpu").field("usage", 95.0).build());
      assertEquals(95.0, k.takePoint().doubleField("usage"));
    }

    @Test
    void freshFakeForEachTest(FakeKapacitor k) {
      k.assertNoMorePoints();
    }
  }

  static class UdfIgnoringEndOfInput {
    @RegisterExtension
    static final FakeKapacitorExtension kapacitor =
        FakeKapacitorExtension.forTarget(
                RawPeer.stream((request, out) -> {}).hangingAtEof().target())
            .with(b -> b.exitWait(Duration.ofSeconds(1)));

    @Test
    void runsATask(FakeKapacitor k) {
      k.init("");
    }
  }

  static class UdfFailingOnPurpose {
    @RegisterExtension
    static final FakeKapacitorExtension kapacitor =
        FakeKapacitorExtension.forTarget(
            RawPeer.stream(
                    (request, out) ->
                        out.send(
                            Response.newBuilder()
                                .setError(UdfProto.ErrorResponse.newBuilder().setError("bad point"))
                                .build()))
                .target());

    @Test
    void reportsABadPoint(FakeKapacitor k) {
      k.init("").send(Point.named("cpu").field("usage", 1.0).build());
      assertEquals("bad point", k.awaitFailure());
    }
  }
}
