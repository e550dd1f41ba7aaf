package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UdfSpecTest {
  static final Option<String> FIELD = Option.ofString("field");
  static final Option<Integer> SIZE = Option.ofInt("size", 10);

  @Test
  void providesTwiceFailsNamingTheFirstEdge() {
    UdfSpec.Builder builder = UdfSpec.stream().provides(Edge.BATCH);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> builder.provides(Edge.STREAM));
    assertEquals("provides was already set to BATCH", e.getMessage());
    assertEquals(Edge.BATCH, builder.build().provides());
  }

  @Test
  void onErrorTwiceFailsNamingTheFirstPolicy() {
    UdfSpec.Builder builder = UdfSpec.stream().onError(OnError.DROP_AND_LOG);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> builder.onError(OnError.FAIL_TASK));
    assertEquals("onError was already set to DROP_AND_LOG", e.getMessage());
  }

  @Test
  void timerTwiceFailsNamingTheFirstPeriod() {
    UdfSpec.Builder builder = UdfSpec.stream().timer(Duration.ofSeconds(10));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> builder.timer(Duration.ofSeconds(5)));
    assertEquals("timer was already set to PT10S", e.getMessage());
    assertEquals(Optional.of(Duration.ofSeconds(10)), builder.build().timerPeriod());
  }

  @Test
  void optionsCalledASecondTimeFailsNamingTheOptionsDeclared() {
    UdfSpec.Builder builder = UdfSpec.stream().options(FIELD, SIZE);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> builder.options(Option.ofBool("strict", false)));
    assertEquals(
        "options were already declared as [field, size]: declare them all in one options(...) call",
        e.getMessage());
    assertThrows(IllegalStateException.class, () -> builder.options(List.of()));
    assertEquals(List.of("field", "size"), List.copyOf(builder.build().options().keySet()));
  }

  @Test
  void optionsRefusedForADuplicateNameLeaveTheBuilderUnchanged() {
    UdfSpec.Builder builder = UdfSpec.stream();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> builder.options(FIELD, SIZE, Option.ofString("size")));
    assertEquals("option 'size' is declared twice", e.getMessage());
    builder.options(FIELD);
    assertEquals(List.of("field"), List.copyOf(builder.build().options().keySet()));
  }

  @Test
  void aTimerUnderAMillisecondIsRefusedAndCanBeSetAfter() {
    UdfSpec.Builder builder = UdfSpec.stream();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> builder.timer(Duration.ofNanos(10)));
    assertEquals("timer period must be at least 1ms, got PT0.00000001S", e.getMessage());
    builder.timer(Duration.ofMillis(1));
    assertEquals(Optional.of(Duration.ofMillis(1)), builder.build().timerPeriod());
  }
}
