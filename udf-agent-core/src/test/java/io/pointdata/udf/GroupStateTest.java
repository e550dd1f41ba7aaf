package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GroupStateTest {
  private static final long S = 1_000_000_000L;

  private static final SnapshotFormat<String> TEXT =
      SnapshotFormat.of(
          1, s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));

  /** The groups evicted so far, as "group=state". */
  private final List<String> evicted = new ArrayList<>();

  private GroupState.Builder<String> recording() {
    return GroupState.<String>builder().onEvict((group, state) -> evicted.add(group + "=" + state));
  }

  private static Function<String, String> named(String state) {
    return group -> state;
  }

  // LRU

  @Test
  void creatingOneGroupTooManyEvictsTheLeastRecentlyTouched() {
    GroupState<String> state = recording().maxGroups(3).build();
    state.get("a", 1, named("A"));
    state.get("b", 2, named("B"));
    state.get("c", 3, named("C"));
    assertEquals(
        "A", state.get("a", 4, named("unused")), "touching a makes b the least recently used");
    state.get("d", 5, named("D"));
    assertEquals(List.of("b=B"), evicted);
    state.get("e", 6, named("E"));
    assertEquals(List.of("b=B", "c=C"), evicted);
    assertEquals(List.of("a", "d", "e"), List.copyOf(state.groups()));
    assertEquals(3, state.size());
  }

  @Test
  void createIsGivenTheGroupAndCalledOnlyForANewOne() {
    GroupState<String> state = GroupState.<String>builder().maxGroups(10).build();
    List<String> created = new ArrayList<>();
    Function<String, String> create =
        group -> {
          created.add(group);
          return "state of " + group;
        };
    assertEquals("state of host=a,", state.get("host=a,", 1, create));
    assertEquals("state of host=a,", state.get("host=a,", 2, create));
    assertEquals(List.of("host=a,"), created);
  }

  @Test
  void getIfPresentTouchesButContainsDoesNot() {
    GroupState<String> state = recording().maxGroups(2).build();
    state.get("a", 1, named("A"));
    state.get("b", 2, named("B"));
    assertEquals("A", state.getIfPresent("a"));
    assertTrue(state.contains("b"), () -> "groups: " + state.groups());
    assertNull(state.getIfPresent("nope"));
    assertFalse(state.contains("nope"), () -> "groups: " + state.groups());
    state.get("c", 3, named("C"));
    assertEquals(List.of("b=B"), evicted, "getIfPresent touched a; contains did not touch b");
  }

  @Test
  void putReplacesWithoutTheListenerAndEvictsWhenItAddsAGroup() {
    GroupState<String> state = recording().maxGroups(2).build();
    assertNull(state.put("a", 1, "A1"));
    assertNull(state.put("b", 2, "B"));
    assertEquals("A1", state.put("a", 3, "A2"));
    assertTrue(evicted.isEmpty(), "a replaced state is not evicted");
    state.put("c", 4, "C");
    assertEquals(List.of("b=B"), evicted, "put touched a");
    assertEquals("A2", state.getIfPresent("a"));
  }

  @Test
  void removeAndClearDoNotCallTheListener() {
    GroupState<String> state = recording().maxGroups(5).expireAfter(Duration.ofSeconds(10)).build();
    state.get("a", 1, named("A"));
    state.get("b", 2, named("B"));
    assertEquals("A", state.remove("a"));
    assertNull(state.remove("a"));
    state.clear();
    assertEquals(0, state.size());
    assertEquals(Set.of(), state.groups());
    assertEquals(2, state.time(), "clear keeps the time");
    assertEquals(List.of(), evicted);
  }

  @Test
  void groupsIsAReadOnlyCopyInRecencyOrder() {
    GroupState<String> state = GroupState.<String>builder().maxGroups(5).build();
    state.get("a", 1, named("A"));
    state.get("b", 2, named("B"));
    state.getIfPresent("a");
    Set<String> groups = state.groups();
    assertEquals(List.of("b", "a"), List.copyOf(groups));
    assertThrows(UnsupportedOperationException.class, () -> groups.add("c"));
    state.remove("a");
    assertEquals(List.of("b", "a"), List.copyOf(groups), "a copy, not a view");
  }

  @Test
  void forEachGoesFromLeastToMostRecentWithoutTouching() {
    GroupState<String> state = recording().maxGroups(2).build();
    state.get("a", 1, named("A"));
    state.get("b", 2, named("B"));
    List<String> seen = new ArrayList<>();
    state.forEach((group, s) -> seen.add(group + "=" + s));
    assertEquals(List.of("a=A", "b=B"), seen);
    state.get("c", 3, named("C"));
    assertEquals(List.of("a=A"), evicted, "forEach did not touch");
  }

  @Test
  void pointAndBatchOverloadsUseTheirGroupAndTime() {
    GroupState<String> state =
        GroupState.<String>builder().expireAfter(Duration.ofSeconds(10)).build();
    Point point = Point.named("cpu").group("host=a,").time(5 * S).field("v", 1.0).build();
    assertEquals("host=a,", state.get(point, group -> group));
    assertEquals(5 * S, state.time());
    Batch batch = Batch.named("cpu").group("host=b,").tmax(7 * S).build();
    assertEquals("host=b,", state.get(batch, group -> group));
    assertEquals(7 * S, state.time());
    assertEquals(
        "host=a,", state.put(Point.named("cpu").group("host=a,").time(8 * S).build(), "new"));
    assertEquals(8 * S, state.time());
    assertEquals("new", state.getIfPresent("host=a,"));
  }

  @Test
  void unboundedKeepsEveryGroup() {
    GroupState<String> state = recording().unbounded().build();
    for (int i = 0; i < 10_000; i++) state.get("g" + i, (long) i * 3600 * S, named("x"));
    assertEquals(10_000, state.size());
    assertEquals(List.of(), evicted);
  }

  // Idle expiry in point time

  @Test
  void groupIdleForExpireAfterInPointTimeIsEvicted() {
    GroupState<String> state = recording().expireAfter(Duration.ofSeconds(10)).build();
    state.get("a", 0, named("A"));
    state.get("b", 5 * S, named("B"));
    state.get("a", 9 * S, named("unused"));
    state.get("c", 15 * S - 1, named("C"));
    assertTrue(evicted.isEmpty(), "b is idle for 10 s less 1 ns");
    state.get("c", 15 * S, named("unused"));
    assertEquals(List.of("b=B"), evicted, "idle for exactly expireAfter is idle");
    assertEquals(List.of("a", "c"), List.copyOf(state.groups()));
  }

  @Test
  void timesLongPastExpireNothingWithoutPointsMovingOn() {
    // A replay of 2015's data: the wall clock says years have passed, point time says 2 s.
    long replay = 1_420_070_400L * S;
    GroupState<String> state = recording().expireAfter(Duration.ofMinutes(1)).build();
    state.get("a", replay, named("A"));
    state.get("b", replay + 2 * S, named("B"));
    assertEquals(2, state.size());
    assertEquals(List.of(), evicted);
  }

  @Test
  void anIdleGroupIsEvictedByItsOwnNextPointAndStartsAgain() {
    GroupState<String> state = recording().expireAfter(Duration.ofSeconds(10)).build();
    state.get("a", 0, named("first"));
    assertEquals("second", state.get("a", 10 * S, named("second")));
    assertEquals(List.of("a=first"), evicted);
  }

  @Test
  void advanceEvictsIdleGroupsOldestFirst() {
    GroupState<String> state = recording().expireAfter(Duration.ofSeconds(10)).build();
    state.get("a", 1 * S, named("A"));
    state.get("b", 2 * S, named("B"));
    state.get("c", 3 * S, named("C"));
    state.advance(12 * S);
    assertEquals(List.of("a=A", "b=B"), evicted);
    assertEquals(12 * S, state.time());
    state.advance(0);
    assertEquals(12 * S, state.time(), "time never goes back");
  }

  /**
   * The rule for late points: a point older than the state's time touches its group at the state's
   * time, and neither moves time back nor evicts anything.
   */
  @Test
  void aLatePointKeepsItsGroupAliveAsOfNowAndEvictsNothing() {
    GroupState<String> state = recording().expireAfter(Duration.ofSeconds(10)).build();
    state.get("a", 0, named("A"));
    state.get("b", 8 * S, named("B"));
    assertEquals("A", state.get("a", 1 * S, named("unused")), "a late point for a");
    assertEquals(8 * S, state.time(), "a late point does not move time back");
    state.get("b", 9 * S, named("unused"));
    state.get("c", 12 * S, named("C"));
    assertTrue(
        evicted.isEmpty(),
        "a was touched at 8 s, not at its point's 1 s, so it is not idle at 12 s");

    state.get("z", -1000 * S, named("Z"));
    assertTrue(state.contains("z"), "a new group with a very old time is not born idle");
    assertTrue(evicted.isEmpty(), "a very old time evicts nothing");
    assertEquals(12 * S, state.time());

    state.advance(18 * S);
    assertEquals(List.of("a=A"), evicted, "a was touched at 8 s, b at 9 s");
    state.advance(19 * S);
    assertEquals(List.of("a=A", "b=B"), evicted);
    assertEquals(List.of("c", "z"), List.copyOf(state.groups()));
  }

  @Test
  void bothLimitsTogether() {
    GroupState<String> state = recording().maxGroups(2).expireAfter(Duration.ofSeconds(10)).build();
    state.get("a", 0, named("A"));
    state.get("b", 1 * S, named("B"));
    state.get("c", 2 * S, named("C"));
    assertEquals(List.of("a=A"), evicted);
    state.get("d", 11 * S, named("D"));
    assertEquals(List.of("a=A", "b=B"), evicted, "b is idle; then there is room for d");
    assertEquals(List.of("c", "d"), List.copyOf(state.groups()));
  }

  @Test
  void aThrowingListenerLeavesTheRestOfTheIdleGroupsForTheNextAccess() {
    List<String> seen = new ArrayList<>();
    GroupState<String> state =
        GroupState.<String>builder()
            .expireAfter(Duration.ofSeconds(10))
            .onEvict(
                (group, s) -> {
                  seen.add(group);
                  if (group.equals("a")) throw new IllegalStateException("flush failed");
                })
            .build();
    state.get("a", 0, named("A"));
    state.get("b", 1 * S, named("B"));
    assertThrows(IllegalStateException.class, () -> state.get("d", 20 * S, named("D")));
    assertEquals(List.of("a"), seen);
    assertFalse(state.contains("a"), "the group is removed before the listener runs");
    assertTrue(state.contains("b"), "idle, but its eviction was cut short");
    assertFalse(state.contains("d"), () -> "groups: " + state.groups());
    state.get("d", 20 * S, named("D"));
    assertEquals(List.of("a", "b"), seen, "the same time finishes the interrupted pass");
    assertEquals(List.of("d"), List.copyOf(state.groups()));
  }

  @Test
  void theListenerAndCreateCannotChangeTheState() {
    GroupState<String> state =
        GroupState.<String>builder().maxGroups(1).onEvict((group, s) -> {}).build();
    IllegalStateException fromCreate =
        assertThrows(
            IllegalStateException.class, () -> state.get("a", 0, group -> state.put("b", 0, "B")));
    assertEquals(
        "a GroupState cannot be changed from its own create function, eviction listener or forEach"
            + " action",
        fromCreate.getMessage());
    assertEquals(0, state.size());

    GroupState<String> reentrant = GroupState.<String>builder().maxGroups(1).build();
    GroupState<String> listening =
        GroupState.<String>builder()
            .maxGroups(1)
            .onEvict((group, s) -> reentrant.put(group, 0, s))
            .build();
    listening.get("a", 0, named("A"));
    listening.get("b", 0, named("B"));
    assertEquals("A", reentrant.getIfPresent("a"), "a listener may use another GroupState");
    state.get("x", 0, named("X"));
    assertThrows(
        IllegalStateException.class, () -> state.forEach((group, s) -> state.remove(group)));
    assertTrue(state.contains("x"), () -> "groups: " + state.groups());
  }

  // Arguments

  @Test
  void badLimitsAreRefusedWithTheValue() {
    assertEquals(
        "maxGroups < 1: 0",
        assertThrows(IllegalArgumentException.class, () -> GroupState.builder().maxGroups(0))
            .getMessage());
    assertEquals(
        "maxGroups < 1: -5",
        assertThrows(IllegalArgumentException.class, () -> GroupState.builder().maxGroups(-5))
            .getMessage());
    assertEquals(
        "expireAfter must be positive: PT0S",
        assertThrows(
                IllegalArgumentException.class,
                () -> GroupState.builder().expireAfter(Duration.ZERO))
            .getMessage());
    assertEquals(
        "expireAfter must be positive: PT-1S",
        assertThrows(
                IllegalArgumentException.class,
                () -> GroupState.builder().expireAfter(Duration.ofSeconds(-1)))
            .getMessage());
    String tooLong =
        assertThrows(
                IllegalArgumentException.class,
                () -> GroupState.builder().expireAfter(Duration.ofDays(365L * 300)))
            .getMessage();
    assertTrue(tooLong.startsWith("expireAfter is too long"), tooLong);
    assertEquals(
        "idle == null",
        assertThrows(NullPointerException.class, () -> GroupState.builder().expireAfter(null))
            .getMessage());
    assertEquals(
        "listener == null",
        assertThrows(NullPointerException.class, () -> GroupState.builder().onEvict(null))
            .getMessage());
  }

  @Test
  void aLimitOrAnExplicitUnboundedIsRequired() {
    IllegalStateException none =
        assertThrows(IllegalStateException.class, () -> GroupState.builder().build());
    assertTrue(
        none.getMessage().startsWith("set maxGroups, expireAfter or both, or choose unbounded()"),
        none.getMessage());
  }

  @Test
  void unboundedAfterALimitFailsAtThatCallNamingBoth() {
    GroupState.Builder<String> limited = GroupState.<String>builder().maxGroups(10);
    assertEquals(
        "unbounded() contradicts maxGroups(10)",
        assertThrows(IllegalStateException.class, limited::unbounded).getMessage());
    GroupState.Builder<String> expiring =
        GroupState.<String>builder().expireAfter(Duration.ofMinutes(1));
    assertEquals(
        "unbounded() contradicts expireAfter(PT1M)",
        assertThrows(IllegalStateException.class, expiring::unbounded).getMessage());
  }

  @Test
  void aLimitAfterUnboundedFailsAtThatCallNamingBoth() {
    GroupState.Builder<String> unbounded = GroupState.<String>builder().unbounded();
    assertEquals(
        "maxGroups(10) contradicts unbounded()",
        assertThrows(IllegalStateException.class, () -> unbounded.maxGroups(10)).getMessage());
    assertEquals(
        "expireAfter(PT1M) contradicts unbounded()",
        assertThrows(
                IllegalStateException.class, () -> unbounded.expireAfter(Duration.ofMinutes(1)))
            .getMessage());
    assertEquals(0, unbounded.build().size(), "the refused limits left it unbounded");
  }

  @Test
  void maxGroupsTwiceFailsNamingTheFirstValue() {
    GroupState.Builder<String> builder = GroupState.<String>builder().maxGroups(10);
    assertEquals(
        "maxGroups was already set to 10",
        assertThrows(IllegalStateException.class, () -> builder.maxGroups(20)).getMessage());
    assertEquals(
        "maxGroups was already set to 10",
        assertThrows(IllegalStateException.class, () -> builder.maxGroups(10)).getMessage(),
        "the same value twice is also a mistake");
  }

  @Test
  void expireAfterTwiceFailsNamingTheFirstValue() {
    GroupState.Builder<String> builder =
        GroupState.<String>builder().expireAfter(Duration.ofMinutes(1));
    assertEquals(
        "expireAfter was already set to PT1M",
        assertThrows(IllegalStateException.class, () -> builder.expireAfter(Duration.ofHours(1)))
            .getMessage());
  }

  @Test
  void unboundedTwiceFails() {
    GroupState.Builder<String> builder = GroupState.<String>builder().unbounded();
    assertEquals(
        "unbounded() was already chosen",
        assertThrows(IllegalStateException.class, builder::unbounded).getMessage());
  }

  @Test
  void onEvictTwiceFails() {
    GroupState.Builder<String> builder =
        GroupState.<String>builder().maxGroups(1).onEvict((group, state) -> {});
    assertEquals(
        "onEvict was already set: a GroupState has one eviction listener",
        assertThrows(IllegalStateException.class, () -> builder.onEvict((group, state) -> {}))
            .getMessage());
  }

  @Test
  void aRefusedArgumentLeavesTheSettingFree() {
    GroupState.Builder<String> builder = GroupState.<String>builder();
    assertThrows(IllegalArgumentException.class, () -> builder.maxGroups(0));
    assertThrows(IllegalArgumentException.class, () -> builder.expireAfter(Duration.ZERO));
    GroupState<String> state = builder.maxGroups(1).expireAfter(Duration.ofSeconds(1)).build();
    state.put("a", 0, "A");
    state.put("b", 0, "B");
    assertEquals(Set.of("b"), state.groups(), "maxGroups(1) took effect after maxGroups(0)");
  }

  @Test
  void nullsAreRefusedByName() {
    GroupState<String> state = GroupState.<String>builder().maxGroups(10).build();
    assertEquals(
        "group == null",
        assertThrows(NullPointerException.class, () -> state.get((String) null, 0, named("x")))
            .getMessage());
    assertEquals(
        "group == null",
        assertThrows(NullPointerException.class, () -> state.getIfPresent(null)).getMessage());
    assertEquals(
        "group == null",
        assertThrows(NullPointerException.class, () -> state.put((String) null, 0, "x"))
            .getMessage());
    assertEquals(
        "group == null",
        assertThrows(NullPointerException.class, () -> state.remove(null)).getMessage());
    assertEquals(
        "group == null",
        assertThrows(NullPointerException.class, () -> state.contains(null)).getMessage());
    assertEquals(
        "point == null",
        assertThrows(NullPointerException.class, () -> state.get((Point) null, named("x")))
            .getMessage());
    assertEquals(
        "batch == null",
        assertThrows(NullPointerException.class, () -> state.get((Batch) null, named("x")))
            .getMessage());
    assertEquals(
        "create == null",
        assertThrows(NullPointerException.class, () -> state.get("a", 0, null)).getMessage());
    assertEquals(
        "state == null",
        assertThrows(NullPointerException.class, () -> state.put("a", 0, null)).getMessage());
    assertEquals(
        "create returned null for group \"host=a,\"",
        assertThrows(NullPointerException.class, () -> state.get("host=a,", 0, group -> null))
            .getMessage());
    assertEquals(0, state.size());
  }

  // Snapshots

  @Test
  void snapshotRoundTripKeepsGroupsStatesOrderAndTimes() {
    GroupState<String> before =
        GroupState.<String>builder().maxGroups(10).expireAfter(Duration.ofSeconds(10)).build();
    before.get("a", 0, named("A"));
    before.get("b", 5 * S, named("B"));
    before.get("c", 7 * S, named("C"));
    before.get("a", 6 * S, named("unused")); // late: a touched at 7 s
    byte[] snapshot = before.toSnapshot(TEXT);

    GroupState<String> after =
        recording().maxGroups(10).expireAfter(Duration.ofSeconds(10)).build();
    after.restore(snapshot, TEXT);
    assertEquals(7 * S, after.time());
    assertEquals(List.of("b", "c", "a"), List.copyOf(after.groups()));
    List<String> states = new ArrayList<>();
    after.forEach((group, s) -> states.add(group + "=" + s));
    assertEquals(List.of("b=B", "c=C", "a=A"), states);

    after.advance(15 * S);
    assertEquals(List.of("b=B"), evicted, "b was touched at 5 s, c and a at 7 s");
    after.advance(17 * S);
    assertEquals(List.of("b=B", "c=C", "a=A"), evicted);
  }

  @Test
  void snapshotOfAnEmptyStateRoundTrips() {
    GroupState<String> empty = GroupState.<String>builder().maxGroups(1).build();
    GroupState<String> restored = GroupState.<String>builder().maxGroups(1).build();
    restored.get("x", 5, named("X"));
    restored.restore(empty.toSnapshot(TEXT), TEXT);
    assertEquals(0, restored.size());
    assertEquals(Long.MIN_VALUE, restored.time());
  }

  @Test
  void restoringMoreGroupsThanMaxGroupsKeepsTheMostRecent() {
    GroupState<String> before = GroupState.<String>builder().maxGroups(10).build();
    for (int i = 0; i < 5; i++) before.get("g" + i, i, named("s" + i));
    before.getIfPresent("g1");
    GroupState<String> smaller = recording().maxGroups(2).build();
    smaller.restore(before.toSnapshot(TEXT), TEXT);
    assertEquals(List.of("g4", "g1"), List.copyOf(smaller.groups()));
    assertEquals("s1", smaller.getIfPresent("g1"));
    assertTrue(evicted.isEmpty(), "groups left out at restore do not go to the listener");
  }

  @Test
  void restoringUnderAShorterExpireAfterDropsGroupsIdleAtTheSnapshotsTime() {
    GroupState<String> before =
        GroupState.<String>builder().expireAfter(Duration.ofHours(1)).build();
    before.get("a", 0, named("A"));
    before.get("b", 50 * S, named("B"));
    before.get("c", 60 * S, named("C"));
    GroupState<String> shorter = recording().expireAfter(Duration.ofSeconds(10)).build();
    shorter.restore(before.toSnapshot(TEXT), TEXT);
    assertEquals(
        List.of("c"),
        List.copyOf(shorter.groups()),
        "at 60 s, a (0 s) and b (50 s) are idle for 10 s");
    assertEquals(60 * S, shorter.time());
    assertEquals(List.of(), evicted);
  }

  @Test
  void eachGroupsStateIsMigratedByItsFormat() {
    GroupState<String> before = GroupState.<String>builder().maxGroups(10).build();
    before.get("a", 1, named("7"));
    byte[] v1 = before.toSnapshot(TEXT);
    SnapshotFormat<String> v2 =
        SnapshotFormat.<String>of(
                2,
                s -> s.getBytes(StandardCharsets.UTF_8),
                b -> new String(b, StandardCharsets.UTF_8))
            .migrateFrom(1, b -> new String(b, StandardCharsets.UTF_8) + ";migrated");
    GroupState<String> after = GroupState.<String>builder().maxGroups(10).build();
    after.restore(v1, v2);
    assertEquals("7;migrated", after.getIfPresent("a"));
  }

  @Test
  void unreadableSnapshotsAreRefusedClearlyAndLeaveTheStateAsItWas() {
    GroupState<String> state = GroupState.<String>builder().maxGroups(10).build();
    state.get("kept", 3, named("K"));

    UdfException plain =
        assertThrows(UdfException.class, () -> state.restore(TEXT.write("x"), TEXT));
    assertEquals(
        "the snapshot (9 bytes) has no GroupState header: it was not written by"
            + " GroupState.toSnapshot",
        plain.getMessage());

    byte[] newer = ByteBuffer.allocate(8).put(new byte[] {'U', 'D', 'F', 'G'}).putInt(2).array();
    assertEquals(
        "GroupState snapshot version 2 is newer than this library reads (1); upgrade the UDF's"
            + " udf-agent-core",
        assertThrows(UdfException.class, () -> state.restore(newer, TEXT)).getMessage());

    GroupState<String> other = GroupState.<String>builder().maxGroups(10).build();
    other.get("host=a,", 1, named("A"));
    byte[] good = other.toSnapshot(TEXT);
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    String corrupt =
        assertThrows(UdfException.class, () -> state.restore(truncated, TEXT)).getMessage();
    assertTrue(
        corrupt.startsWith(
            "the GroupState snapshot is corrupt: group \"host=a,\" has a state of 9 bytes, 8"
                + " left"),
        corrupt);
    byte[] longer = Arrays.copyOf(good, good.length + 2);
    assertEquals(
        "the GroupState snapshot is corrupt: 2 bytes after the last group",
        assertThrows(UdfException.class, () -> state.restore(longer, TEXT)).getMessage());
    assertEquals(
        "the GroupState snapshot is corrupt: it ends early (12 bytes)",
        assertThrows(UdfException.class, () -> state.restore(Arrays.copyOf(good, 12), TEXT))
            .getMessage());

    SnapshotFormat<String> newerState = SnapshotFormat.of(2, s -> new byte[0], b -> "");
    SnapshotFormat<String> olderState = SnapshotFormat.of(1, s -> new byte[0], b -> "");
    GroupState<String> v2 = GroupState.<String>builder().maxGroups(10).build();
    v2.get("host=a,", 1, named("A"));
    assertEquals(
        "group \"host=a,\": snapshot version 2 is newer than this UDF reads (1); upgrade the UDF",
        assertThrows(UdfException.class, () -> state.restore(v2.toSnapshot(newerState), olderState))
            .getMessage());

    assertEquals(List.of("kept"), List.copyOf(state.groups()));
    assertEquals(3, state.time());
  }

  // Scale

  @Test
  void aMillionGroupsChurnThroughAThousand() {
    int[] evictions = {0};
    GroupState<long[]> state =
        GroupState.<long[]>builder()
            .maxGroups(1_000)
            .onEvict((group, count) -> evictions[0]++)
            .build();
    int largest = 0;
    for (int i = 0; i < 1_000_000; i++) {
      state.get("host=h" + i + ",", i, group -> new long[1])[0]++;
      largest = Math.max(largest, state.size());
    }
    assertEquals(1_000, state.size());
    assertEquals(1_000, largest);
    assertEquals(999_000, evictions[0]);
    assertTrue(state.contains("host=h999999,"), "the newest group was evicted");
    assertFalse(state.contains("host=h998999,"), "an older group outlived its eviction");
  }

  @Test
  void aMillionGroupsChurnThroughExpiryAlone() {
    GroupState<long[]> state =
        GroupState.<long[]>builder().expireAfter(Duration.ofNanos(1_000)).build();
    for (int i = 0; i < 1_000_000; i++) state.get("host=h" + i + ",", i, group -> new long[1]);
    assertEquals(1_000, state.size(), "the groups of the last 1,000 ns");
  }

  // End to end, through the agent

  /** Counts the points of each group, emitting the count; groups are idle after a minute. */
  static final class GroupCounter implements Udf {
    static final SnapshotFormat<long[]> COUNT =
        SnapshotFormat.of(
            1,
            count -> ByteBuffer.allocate(Long.BYTES).putLong(count[0]).array(),
            bytes -> new long[] {ByteBuffer.wrap(bytes).getLong()});

    final List<String> evicted = new ArrayList<>();
    private final GroupState<long[]> counts;

    GroupCounter(int maxGroups) {
      counts =
          GroupState.<long[]>builder()
              .maxGroups(maxGroups)
              .expireAfter(Duration.ofMinutes(1))
              .onEvict((group, count) -> evicted.add(group + "=" + count[0]))
              .build();
    }

    @Override
    public UdfSpec spec() {
      return UdfSpec.stream().build();
    }

    @Override
    public void point(Point point, Emitter out) {
      long count = ++counts.get(point, group -> new long[1])[0];
      out.emit(point.toBuilder().clearFields().field("count", count).build());
    }

    @Override
    public byte[] snapshot() {
      return counts.toSnapshot(COUNT);
    }

    @Override
    public void restore(byte[] snapshot) {
      counts.restore(snapshot, COUNT);
    }
  }

  private static UdfProto.Point hostPoint(String host, long time) {
    return UdfProto.Point.newBuilder()
        .setName("cpu")
        .setTime(time)
        .setGroup("host=" + host + ",")
        .addDimensions("host")
        .putTags("host", host)
        .putFieldsDouble("usage", 0.5)
        .build();
  }

  /** Sends the point and returns the count the UDF emitted for it. */
  private static long count(AgentWire wire, String host, long time) {
    UdfProto.Point out = wire.point(hostPoint(host, time)).take(MessageCase.POINT).getPoint();
    assertEquals(Map.of("host", host), out.getTagsMap());
    assertEquals(time, out.getTime());
    return out.getFieldsIntOrThrow("count");
  }

  @Test
  void anEvictedGroupCountsAgainFromOneThroughTheAgent() throws Exception {
    GroupCounter udf = new GroupCounter(2);
    try (AgentWire wire = AgentWire.start(udf)) {
      wire.init().take(MessageCase.INIT);
      assertEquals(1, count(wire, "a", 0));
      assertEquals(2, count(wire, "a", 1 * S));
      assertEquals(1, count(wire, "b", 2 * S));
      assertEquals(1, count(wire, "c", 3 * S), "a third group evicts a, the least recently used");
      assertEquals(1, count(wire, "a", 4 * S), "a was evicted: it counts again from 1, evicting b");
      assertEquals(2, count(wire, "c", 5 * S));
      assertEquals(3, count(wire, "c", 1 * S), "a late point counts and evicts nothing");
      assertEquals(List.of("host=a,=2", "host=b,=1"), udf.evicted);
      assertEquals(1, count(wire, "a", 65 * S), "a minute idle in point time: a and c are evicted");
      assertEquals(List.of("host=a,=2", "host=b,=1", "host=a,=1", "host=c,=3"), udf.evicted);
      assertEquals(List.of(), wire.closeInput().takeUntilEof());
      assertTrue(wire.sessionResult(), "the session did not end cleanly");
    }
  }

  @Test
  void countsSurviveASnapshotAndRestoreThroughTheAgent() throws Exception {
    byte[] snapshot;
    try (AgentWire wire = AgentWire.start(new GroupCounter(10))) {
      wire.init().take(MessageCase.INIT);
      count(wire, "a", 1 * S);
      count(wire, "b", 2 * S);
      count(wire, "b", 3 * S);
      wire.send(
          Request.newBuilder().setSnapshot(UdfProto.SnapshotRequest.getDefaultInstance()).build());
      snapshot = wire.take(MessageCase.SNAPSHOT).getSnapshot().getSnapshot().toByteArray();
    }
    GroupCounter restored = new GroupCounter(10);
    try (AgentWire wire = AgentWire.start(restored)) {
      wire.init().take(MessageCase.INIT);
      wire.send(
          Request.newBuilder()
              .setRestore(
                  UdfProto.RestoreRequest.newBuilder().setSnapshot(ByteString.copyFrom(snapshot)))
              .build());
      UdfProto.RestoreResponse restore = wire.take(MessageCase.RESTORE).getRestore();
      assertTrue(restore.getSuccess(), () -> "Restore refused: " + restore.getError());
      assertEquals(3, count(wire, "b", 4 * S), "b's count was restored");
      assertEquals(1, count(wire, "c", 61 * S));
      assertEquals(
          List.of("host=a,=1"),
          restored.evicted,
          "a, touched at 1 s before the snapshot, is idle at 61 s; b is not");
      assertEquals(4, count(wire, "b", 62 * S));
    }
  }

  @Test
  void aSnapshotThatIsNotAGroupStateFailsTheRestoreWithTheReason() throws Exception {
    try (AgentWire wire = AgentWire.start(new GroupCounter(10))) {
      wire.init().take(MessageCase.INIT);
      wire.send(
          Request.newBuilder()
              .setRestore(
                  UdfProto.RestoreRequest.newBuilder()
                      .setSnapshot(ByteString.copyFrom(GroupCounter.COUNT.write(new long[] {7}))))
              .build());
      UdfProto.RestoreResponse restore = wire.take(MessageCase.RESTORE).getRestore();
      assertFalse(restore.getSuccess(), "Restore accepted");
      assertEquals(
          "the snapshot (16 bytes) has no GroupState header: it was not written by"
              + " GroupState.toSnapshot",
          restore.getError());
    }
  }
}
