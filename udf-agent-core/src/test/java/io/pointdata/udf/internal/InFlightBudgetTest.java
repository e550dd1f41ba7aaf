package io.pointdata.udf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightBudgetTest {
  private static final int LARGE = InFlightBudget.SMALL_FRAME + 1;

  @Test
  void aFrameLargerThanTheWholeBudgetIsRefusedNamingBoth() {
    InFlightBudget budget = new InFlightBudget(100_000);
    FrameException e = assertThrows(FrameException.class, () -> budget.acquire(100_001, 7));
    assertTrue(
        e.getMessage()
            .startsWith(
                "frame 7 declares 100001 bytes, over the agent's in-flight budget of 100000 bytes"),
        e.getMessage());
    assertEquals(0, budget.used());
  }

  @Test
  void aLargeFrameWaitsForRoomAndGetsItWhenReleased() throws Exception {
    InFlightBudget budget = new InFlightBudget(2L * LARGE);
    budget.acquire(LARGE, 1);
    budget.acquire(LARGE, 2);
    CompletableFuture<Void> third =
        CompletableFuture.runAsync(
            () -> {
              try {
                budget.acquire(LARGE, 3);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertFalse(third.isDone(), "waits while the budget is used up");
    budget.release(LARGE);
    third.get(10, TimeUnit.SECONDS);
    assertEquals(2L * LARGE, budget.used());
  }

  @Test
  void smallFramesAreCountedButNeverWait() throws Exception {
    InFlightBudget budget = new InFlightBudget(LARGE);
    budget.acquire(LARGE, 1);
    budget.acquire(
        InFlightBudget.SMALL_FRAME, 2); // would exceed the budget: counted, not waited for
    assertEquals(LARGE + InFlightBudget.SMALL_FRAME, budget.used());
    budget.release(LARGE);
    budget.release(InFlightBudget.SMALL_FRAME);
    assertEquals(0, budget.used());
  }
}
