package io.pointdata.udf;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A UDF's state per Kapacitor group, with a bound: the least recently used group is evicted when a
 * new one would exceed {@link Builder#maxGroups maxGroups}, and a group idle for {@link
 * Builder#expireAfter expireAfter} in point time is evicted as time moves on.
 *
 * <p>Why: a UDF that keeps its state in a plain map keyed by group keeps every group it has ever
 * seen. When groups come and go (per-host or per-sensor tags, containers, short-lived jobs) that
 * map only grows, until the UDF process runs out of memory, as happens to Kapacitor's own
 * moving_avg example and to morgoth. So building a GroupState requires a limit, or an explicit
 * {@link Builder#unbounded()} where the set of groups is known to be small.
 *
 * <pre>{@code
 * public final class MovingAverage implements Udf {
 *   static final Option<String> FIELD = Option.ofString("field");
 *   static final Option<Integer> SIZE = Option.ofInt("size", 10);
 *   // Window: the last values of one group and their average; written as values by the library.
 *   static final SnapshotFormat<Window> WINDOW = SnapshotFormat.ofValues(1,
 *       (window, out) -> out.putInt(window.size()).putDouble(window.average()).putDoubles(window.values()),
 *       in -> new Window(in.getInt(), in.getDouble(), in.getDoubles()));
 *
 *   private final GroupState<Window> windows = GroupState.<Window>builder()
 *       .maxGroups(100_000)                    // a hard bound on memory
 *       .expireAfter(Duration.ofHours(1))      // hosts that stopped reporting an hour ago go
 *       .build();
 *   private String field;
 *   private int size;
 *
 *   public UdfSpec spec() { return UdfSpec.stream().options(FIELD, SIZE).build(); }
 *
 *   public void init(InitContext ctx) {
 *     field = ctx.get(FIELD);
 *     size = ctx.get(SIZE);
 *   }
 *
 *   public void point(Point point, Emitter out) {
 *     Window window = windows.get(point, group -> new Window(size));
 *     window.add(point.doubleField(field));
 *     out.emit(point.toBuilder().clearFields().field("avg", window.average()).build());
 *   }
 *
 *   public byte[] snapshot() { return windows.toSnapshot(WINDOW); }
 *   public void restore(byte[] snapshot) { windows.restore(snapshot, WINDOW); }
 * }
 * }</pre>
 *
 * <h2>Time</h2>
 *
 * Idleness is measured in point time (nanoseconds since the epoch, as in {@link Point#time()}), not
 * on the wall clock: Kapacitor replays recorded data and sends batches whose times are long past,
 * so a wall clock would expire every group of a replay at once, or none of a fast one. The rules:
 *
 * <ul>
 *   <li>The state's {@link #time() time} is the latest time any access has given it; it never goes
 *       back.
 *   <li>An access to a group with a time touches the group <em>at the state's time</em>: a point
 *       that arrives late, with a time older than the state's, keeps its group alive as of now. It
 *       neither makes its group look idle nor moves the state's time back, so it evicts nothing.
 *   <li>A group is idle, and evicted, once the state's time is {@code expireAfter} or more past the
 *       time it was last touched. Idle groups are evicted when the state's time advances, by any
 *       group's point, or by {@link #advance}; a group no point touches again therefore stays until
 *       some other point moves time on.
 * </ul>
 *
 * <p>Because every touch is at the state's time, the least recently used group is also the one
 * touched longest ago, so both evictions take the oldest group first and cost O(1) amortised per
 * access.
 *
 * <p>Evicted groups, by either limit, go to the {@link Builder#onEvict eviction listener}, which
 * can emit a final value (through the {@link Emitter} of the call that caused the eviction) or
 * count. Groups removed by {@link #remove}, {@link #clear} or {@link #restore} do not.
 *
 * <p>Not thread-safe, like the {@link Udf} it lives in: keep it in an instance field of the UDF,
 * not a static one, because each Kapacitor connection has its own UDF instance and a socket UDF
 * runs them on several threads.
 *
 * @param <S> the state of one group
 */
public final class GroupState<S> {
  private static final byte[] MAGIC = {'U', 'D', 'F', 'G'};
  private static final int VERSION = 1;

  /** A group's state and the state's time when the group was last touched. */
  private static final class Slot<S> {
    S state;
    long touched;

    Slot(S state, long touched) {
      this.state = state;
      this.touched = touched;
    }
  }

  private final int maxGroups;

  /** 0 when groups do not expire. */
  private final long expireNanos;

  private final BiConsumer<? super String, ? super S> onEvict;

  /** In access order: from the least to the most recently touched group. */
  private LinkedHashMap<String, Slot<S>> groups = new LinkedHashMap<>(16, 0.75f, true);

  private long now = Long.MIN_VALUE;

  /** Set while an eviction pass runs, so that one the listener interrupted is finished later. */
  private boolean expiring;

  /** Set while user code (a create function, the listener, a forEach action) runs. */
  private boolean busy;

  private GroupState(Builder<S> builder) {
    this.maxGroups = builder.maxGroups;
    this.expireNanos = builder.expireNanos;
    this.onEvict = builder.onEvict;
  }

  /**
   * A builder; set {@code maxGroups}, {@code expireAfter} or both, or choose {@code unbounded()}.
   */
  public static <S> Builder<S> builder() {
    return new Builder<>();
  }

  /**
   * The state of the point's group, touched at the point's time, created by {@code create} if the
   * group has none (or had one that was just evicted as idle).
   */
  public S get(Point point, Function<? super String, ? extends S> create) {
    Objects.requireNonNull(point, "point == null");
    return get(point.group(), point.time(), create);
  }

  /** As {@link #get(Point, Function)}, for the batch's group at its {@link Batch#tmax() tmax}. */
  public S get(Batch batch, Function<? super String, ? extends S> create) {
    Objects.requireNonNull(batch, "batch == null");
    return get(batch.group(), batch.tmax(), create);
  }

  /**
   * The group's state, created by {@code create} (given the group) if the group has none. First
   * moves the state's time to {@code time} if that is later, evicting idle groups, this one
   * included; then touches the group. Creating a group when there are {@code maxGroups} evicts the
   * least recently used one first.
   *
   * @param time the point's time, nanoseconds since the epoch
   * @throws NullPointerException if the group is null or {@code create} returns null
   */
  public S get(String group, long time, Function<? super String, ? extends S> create) {
    Objects.requireNonNull(group, "group == null");
    Objects.requireNonNull(create, "create == null");
    checkNotBusy();
    advanceTo(time);
    Slot<S> slot = groups.get(group);
    if (slot != null) {
      slot.touched = now;
      return slot.state;
    }
    S state;
    busy = true;
    try {
      state = create.apply(group);
    } finally {
      busy = false;
    }
    if (state == null)
      throw new NullPointerException("create returned null for group \"" + group + "\"");
    insert(group, state);
    return state;
  }

  /**
   * The group's state, touched at the state's current time, or null if the group has none. It does
   * not move time: use {@link #get} or {@link #advance} with the point's time for that.
   */
  public S getIfPresent(String group) {
    Objects.requireNonNull(group, "group == null");
    checkNotBusy();
    Slot<S> slot = groups.get(group);
    if (slot == null) return null;
    slot.touched = now;
    return slot.state;
  }

  /** Whether the group has state; unlike the other accessors, it does not touch the group. */
  public boolean contains(String group) {
    return groups.containsKey(Objects.requireNonNull(group, "group == null"));
  }

  /** As {@link #put(String, long, Object)}, for the point's group at the point's time. */
  public S put(Point point, S state) {
    Objects.requireNonNull(point, "point == null");
    return put(point.group(), point.time(), state);
  }

  /**
   * Sets the group's state, touched at {@code time}, after moving the state's time as {@link #get}
   * does. Adding a group when there are {@code maxGroups} evicts the least recently used one first.
   *
   * @return the group's previous state, or null if it had none; a replaced state does not go to the
   *     eviction listener
   */
  public S put(String group, long time, S state) {
    Objects.requireNonNull(group, "group == null");
    Objects.requireNonNull(state, "state == null");
    checkNotBusy();
    advanceTo(time);
    Slot<S> slot = groups.get(group);
    if (slot != null) {
      S previous = slot.state;
      slot.state = state;
      slot.touched = now;
      return previous;
    }
    insert(group, state);
    return null;
  }

  /** Removes the group's state, without calling the eviction listener; returns it, or null. */
  public S remove(String group) {
    Objects.requireNonNull(group, "group == null");
    checkNotBusy();
    Slot<S> slot = groups.remove(group);
    return slot == null ? null : slot.state;
  }

  /**
   * Moves the state's time to {@code time} if that is later and evicts the groups it makes idle, as
   * every access with a time does. For a UDF that wants idle groups flushed on a clock of its own.
   */
  public void advance(long time) {
    checkNotBusy();
    advanceTo(time);
  }

  /** The number of groups with state. */
  public int size() {
    return groups.size();
  }

  /** A copy of the groups with state, from the least to the most recently touched. */
  public Set<String> groups() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(groups.keySet()));
  }

  /**
   * Calls the action with every group and its state, from the least to the most recently touched,
   * without touching them, e.g. to flush them all from {@link Udf#close()}. The action must not
   * change this GroupState.
   */
  public void forEach(BiConsumer<? super String, ? super S> action) {
    Objects.requireNonNull(action, "action == null");
    boolean wasBusy = busy;
    busy = true;
    try {
      for (Map.Entry<String, Slot<S>> e : groups.entrySet())
        action.accept(e.getKey(), e.getValue().state);
    } finally {
      busy = wasBusy;
    }
  }

  /** Removes every group without calling the eviction listener. The state's time stays. */
  public void clear() {
    checkNotBusy();
    groups.clear();
    expiring = false;
  }

  /**
   * The state's time: the latest time an access has given it, in nanoseconds since the epoch, or
   * {@link Long#MIN_VALUE} before the first.
   */
  public long time() {
    return now;
  }

  /**
   * This state as a snapshot: its time, and every group with the time it was last touched and its
   * state written by {@code stateFormat}, whose version and migrations apply to each group's state
   * when it is {@link #restore restored}. Each state carries the format's 8-byte header.
   *
   * @throws UdfException naming the group whose state could not be written
   */
  public byte[] toSnapshot(SnapshotFormat<S> stateFormat) {
    Objects.requireNonNull(stateFormat, "stateFormat == null");
    int n = groups.size();
    List<byte[]> names = new ArrayList<>(n);
    List<byte[]> states = new ArrayList<>(n);
    long size = MAGIC.length + Integer.BYTES + Long.BYTES + Integer.BYTES;
    for (Map.Entry<String, Slot<S>> e : groups.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] state;
      try {
        state = stateFormat.write(e.getValue().state);
      } catch (UdfException failed) {
        throw new UdfException("group \"" + e.getKey() + "\": " + failed.getMessage(), failed);
      }
      names.add(name);
      states.add(state);
      size += Integer.BYTES + name.length + Long.BYTES + Integer.BYTES + state.length;
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new UdfException(
          "the snapshot of "
              + n
              + " groups would be "
              + size
              + " bytes, more than a byte array holds");
    }
    ByteBuffer out =
        ByteBuffer.allocate((int) size).put(MAGIC).putInt(VERSION).putLong(now).putInt(n);
    int i = 0;
    for (Slot<S> slot : groups.values()) {
      out.putInt(names.get(i).length).put(names.get(i));
      out.putLong(slot.touched);
      out.putInt(states.get(i).length).put(states.get(i));
      i++;
    }
    return out.array();
  }

  /**
   * Replaces this state's groups and time with a snapshot's from {@link #toSnapshot}, reading each
   * group's state with {@code stateFormat}. This state's own limits apply: of more than {@code
   * maxGroups} groups the most recently touched are kept, and groups idle at the snapshot's time
   * under this state's {@code expireAfter} are dropped. Groups left out are not decoded and do not
   * go to the eviction listener: restore runs before any data, when there is nothing to emit them
   * to. If the snapshot cannot be read this state is unchanged.
   *
   * @throws UdfException naming the problem: not a GroupState snapshot, a newer version, corrupt
   *     bytes, or the group whose state {@code stateFormat} could not read; thrown from {@link
   *     Udf#restore} it fails the task's restore with that message
   */
  public void restore(byte[] snapshot, SnapshotFormat<S> stateFormat) {
    Objects.requireNonNull(snapshot, "snapshot == null");
    Objects.requireNonNull(stateFormat, "stateFormat == null");
    checkNotBusy();
    int header = MAGIC.length + Integer.BYTES;
    if (snapshot.length < header
        || !Arrays.equals(snapshot, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new UdfException(
          "the snapshot ("
              + snapshot.length
              + " bytes) has no GroupState header: it was not written by GroupState.toSnapshot");
    }
    ByteBuffer in = ByteBuffer.wrap(snapshot, MAGIC.length, snapshot.length - MAGIC.length);
    int version = in.getInt();
    if (version != VERSION) {
      throw new UdfException(
          version > VERSION
              ? "GroupState snapshot version "
                  + version
                  + " is newer than this library reads ("
                  + VERSION
                  + "); upgrade the UDF's udf-agent-core"
              : "GroupState snapshot version "
                  + version
                  + " is not one this library reads ("
                  + VERSION
                  + ")");
    }
    List<RawGroup> raw;
    long time;
    try {
      time = in.getLong();
      int count = in.getInt();
      if (count < 0) throw corrupt("a negative group count: " + count);
      raw = new ArrayList<>(Math.min(count, in.remaining() / 16));
      long previous = Long.MIN_VALUE;
      for (int i = 0; i < count; i++) {
        String group = new String(slice(in, "group " + i + "'s name"), StandardCharsets.UTF_8);
        long touched = in.getLong();
        if (touched < previous || touched > time) {
          throw corrupt(
              "group \""
                  + group
                  + "\" was touched at "
                  + touched
                  + ", out of order (previous "
                  + previous
                  + ", snapshot time "
                  + time
                  + ")");
        }
        previous = touched;
        int length = in.getInt();
        if (length < 0 || length > in.remaining())
          throw corrupt(
              "group \""
                  + group
                  + "\" has a state of "
                  + length
                  + " bytes, "
                  + in.remaining()
                  + " left");
        raw.add(new RawGroup(group, touched, in.position(), length));
        in.position(in.position() + length);
      }
      if (in.hasRemaining()) throw corrupt(in.remaining() + " bytes after the last group");
    } catch (BufferUnderflowException e) {
      throw corrupt("it ends early (" + snapshot.length + " bytes)");
    }
    int first = Math.max(0, raw.size() - maxGroups);
    while (first < raw.size() && isIdle(time, raw.get(first).touched)) first++;
    LinkedHashMap<String, Slot<S>> restored = new LinkedHashMap<>(16, 0.75f, true);
    for (RawGroup g : raw.subList(first, raw.size())) {
      S state;
      try {
        state = stateFormat.read(Arrays.copyOfRange(snapshot, g.offset, g.offset + g.length));
      } catch (UdfException e) {
        throw new UdfException("group \"" + g.group + "\": " + e.getMessage(), e);
      }
      if (state == null)
        throw new UdfException("group \"" + g.group + "\": the state format read null");
      if (restored.put(g.group, new Slot<>(state, g.touched)) != null)
        throw corrupt("group \"" + g.group + "\" appears twice");
    }
    groups = restored;
    now = time;
    expiring = false;
  }

  private record RawGroup(String group, long touched, int offset, int length) {}

  private static byte[] slice(ByteBuffer in, String what) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining())
      throw corrupt(what + " has " + length + " bytes, " + in.remaining() + " left");
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  private static UdfException corrupt(String problem) {
    return new UdfException("the GroupState snapshot is corrupt: " + problem);
  }

  private void checkNotBusy() {
    if (busy) {
      throw new IllegalStateException(
          "a GroupState cannot be changed from its own create function, eviction listener or"
              + " forEach action");
    }
  }

  private void advanceTo(long time) {
    if (time > now) {
      now = time;
    } else if (!expiring) {
      return; // time did not move, so no group became idle
    }
    if (expireNanos == 0) return;
    expiring = true;
    while (!groups.isEmpty()) {
      Map.Entry<String, Slot<S>> eldest = groups.entrySet().iterator().next();
      if (!isIdle(now, eldest.getValue().touched)) break;
      evict(eldest.getKey());
    }
    expiring = false;
  }

  /** Whether a group touched at {@code touched} is idle at {@code time}; touched is never later. */
  private boolean isIdle(long time, long touched) {
    // time - touched is in [0, 2^64): compared unsigned, it cannot overflow.
    return expireNanos != 0 && Long.compareUnsigned(time - touched, expireNanos) >= 0;
  }

  private void insert(String group, S state) {
    if (groups.size() >= maxGroups) evict(groups.keySet().iterator().next());
    groups.put(group, new Slot<>(state, now));
  }

  private void evict(String group) {
    S state = groups.remove(group).state;
    if (onEvict == null) return;
    busy = true;
    try {
      onEvict.accept(group, state);
    } finally {
      busy = false;
    }
  }

  /**
   * Configures a {@link GroupState}. At least one limit must be set, or {@link #unbounded()}
   * chosen, so that no UDF keeps every group it ever saw by accident. Each setting is made once: a
   * second call, or a limit together with {@code unbounded()}, fails at that call with the reason.
   *
   * @param <S> the state of one group
   */
  public static final class Builder<S> {
    private int maxGroups = Integer.MAX_VALUE;
    private boolean maxGroupsSet;
    private long expireNanos;
    private boolean unbounded;
    private BiConsumer<? super String, ? super S> onEvict;

    private Builder() {}

    /**
     * At most this many groups: creating one more evicts the least recently touched group. This is
     * the bound on memory; size it to the groups a task really has, with room to spare.
     *
     * @throws IllegalArgumentException if less than 1
     * @throws IllegalStateException if maxGroups was already set, or {@link #unbounded()} chosen
     */
    public Builder<S> maxGroups(int maxGroups) {
      if (maxGroupsSet)
        throw new IllegalStateException("maxGroups was already set to " + this.maxGroups);
      if (unbounded)
        throw new IllegalStateException("maxGroups(" + maxGroups + ") contradicts unbounded()");
      if (maxGroups < 1) throw new IllegalArgumentException("maxGroups < 1: " + maxGroups);
      this.maxGroups = maxGroups;
      this.maxGroupsSet = true;
      return this;
    }

    /**
     * Evicts a group once the state's time, in point time, is {@code idle} or more past the time
     * the group was last touched.
     *
     * @throws NullPointerException if {@code idle} is null
     * @throws IllegalArgumentException if not positive, or longer than a long of nanoseconds holds
     * @throws IllegalStateException if expireAfter was already set, or {@link #unbounded()} chosen
     */
    public Builder<S> expireAfter(Duration idle) {
      Objects.requireNonNull(idle, "idle == null");
      if (expireNanos != 0) {
        throw new IllegalStateException(
            "expireAfter was already set to " + Duration.ofNanos(expireNanos));
      }
      if (unbounded)
        throw new IllegalStateException("expireAfter(" + idle + ") contradicts unbounded()");
      if (idle.isNegative() || idle.isZero())
        throw new IllegalArgumentException("expireAfter must be positive: " + idle);
      try {
        this.expireNanos = idle.toNanos();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            "expireAfter is too long for nanoseconds in a long: " + idle, e);
      }
      return this;
    }

    /**
     * No limit: every group stays until removed. Only for a set of groups known to be small and
     * fixed; it cannot be combined with a limit.
     *
     * @throws IllegalStateException if unbounded() was already chosen, or a limit set
     */
    public Builder<S> unbounded() {
      if (unbounded) throw new IllegalStateException("unbounded() was already chosen");
      if (maxGroupsSet)
        throw new IllegalStateException("unbounded() contradicts maxGroups(" + maxGroups + ")");
      if (expireNanos != 0) {
        throw new IllegalStateException(
            "unbounded() contradicts expireAfter(" + Duration.ofNanos(expireNanos) + ")");
      }
      this.unbounded = true;
      return this;
    }

    /**
     * Called with each evicted group and its state, by either limit, on the UDF's thread during the
     * access that evicted it, after the group is removed. It must not change the GroupState; an
     * exception it throws reaches the caller of that access.
     *
     * @throws NullPointerException if the listener is null
     * @throws IllegalStateException if a listener was already set
     */
    public Builder<S> onEvict(BiConsumer<? super String, ? super S> listener) {
      Objects.requireNonNull(listener, "listener == null");
      if (onEvict != null) {
        throw new IllegalStateException(
            "onEvict was already set: a GroupState has one eviction listener");
      }
      this.onEvict = listener;
      return this;
    }

    /**
     * A new, empty GroupState.
     *
     * @throws IllegalStateException if no limit is set and unbounded() was not chosen
     */
    public GroupState<S> build() {
      if (!unbounded && !maxGroupsSet && expireNanos == 0) {
        throw new IllegalStateException(
            "set maxGroups, expireAfter or both, or choose unbounded(): "
                + "state kept for every group ever seen grows without end when groups come and go");
      }
      return new GroupState<>(this);
    }
  }
}
