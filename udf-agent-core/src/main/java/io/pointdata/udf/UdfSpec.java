package io.pointdata.udf;

import io.pointdata.udf.proto.UdfProto;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a UDF wants and provides, and the options it takes: the source of Kapacitor's Info.
 *
 * <pre>{@code
 * UdfSpec.stream().options(FIELD, MAX).build();                     // stream in, stream out
 * UdfSpec.wants(Edge.BATCH).provides(Edge.STREAM).options(...).build();
 * UdfSpec.stream().onError(OnError.DROP_AND_LOG).build();          // skip points that fail
 * UdfSpec.stream().timer(Duration.ofSeconds(10)).build();           // Udf.timer every 10 s
 * }</pre>
 *
 * <p>Immutable once built.
 */
public final class UdfSpec {
  private final Edge wants;
  private final Edge provides;
  private final Map<String, Option<?>> options;
  private final OnError onError;
  private final Duration timerPeriod;
  private final UdfProto.InfoResponse info;

  private UdfSpec(Builder builder) {
    this.wants = builder.wants;
    this.provides = builder.provides;
    this.onError = builder.onError;
    this.timerPeriod = builder.timerPeriod;
    this.options = Collections.unmodifiableMap(new LinkedHashMap<>(builder.options));
    UdfProto.InfoResponse.Builder info =
        UdfProto.InfoResponse.newBuilder().setWants(wants.wire()).setProvides(provides.wire());
    for (Option<?> option : options.values()) info.putOptions(option.name(), option.info());
    this.info = info.build();
  }

  /** A builder for a UDF that wants the given edge; it provides the same unless told otherwise. */
  public static Builder wants(Edge wants) {
    return new Builder(Objects.requireNonNull(wants, "wants == null"));
  }

  /** A builder for a stream-to-stream UDF. */
  public static Builder stream() {
    return wants(Edge.STREAM);
  }

  /** A builder for a batch-to-batch UDF. */
  public static Builder batch() {
    return wants(Edge.BATCH);
  }

  public Edge wants() {
    return wants;
  }

  public Edge provides() {
    return provides;
  }

  /** The declared options, by name, in declaration order. */
  public Map<String, Option<?>> options() {
    return options;
  }

  /** What the agent does when {@code point} or {@code batch} throws. */
  public OnError onError() {
    return onError;
  }

  /** How often {@link Udf#timer} is called, or empty for never. */
  public Optional<Duration> timerPeriod() {
    return Optional.ofNullable(timerPeriod);
  }

  static Duration checkTimerPeriod(Duration period) {
    Objects.requireNonNull(period, "period == null");
    if (period.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("timer period must be at least 1ms, got " + period);
    }
    return period;
  }

  /** The InfoResponse this spec stands for. */
  UdfProto.InfoResponse info() {
    return info;
  }

  /**
   * Builds a {@link UdfSpec}; each setter checks its argument at once, and each is called at most
   * once: a second call fails at that call, naming what was set.
   */
  public static final class Builder {
    private final Edge wants;
    private Edge provides;
    private boolean providesSet;
    private final Map<String, Option<?>> options = new LinkedHashMap<>();
    private boolean optionsSet;
    private OnError onError = OnError.FAIL_TASK;
    private boolean onErrorSet;
    private Duration timerPeriod;

    private Builder(Edge wants) {
      this.wants = wants;
      this.provides = wants;
    }

    /**
     * Sets the edge the UDF emits (for chaining); default the edge it wants.
     *
     * @throws NullPointerException if the edge is null
     * @throws IllegalStateException if already set
     */
    public Builder provides(Edge provides) {
      Objects.requireNonNull(provides, "provides == null");
      if (providesSet)
        throw new IllegalStateException("provides was already set to " + this.provides);
      this.provides = provides;
      this.providesSet = true;
      return this;
    }

    /**
     * Declares the options, all in one call (for chaining).
     *
     * @throws NullPointerException if an option is null
     * @throws IllegalArgumentException if two options share a name
     * @throws IllegalStateException if options were already declared
     */
    public Builder options(Option<?>... options) {
      return options(List.of(options));
    }

    /**
     * Declares the options, all in one call (for chaining).
     *
     * @throws NullPointerException if an option is null
     * @throws IllegalArgumentException if two options share a name
     * @throws IllegalStateException if options were already declared
     */
    public Builder options(List<? extends Option<?>> options) {
      if (optionsSet) {
        throw new IllegalStateException(
            "options were already declared as "
                + this.options.keySet()
                + ": declare them all in one options(...) call");
      }
      Map<String, Option<?>> declared = new LinkedHashMap<>();
      for (Option<?> option : options) {
        Objects.requireNonNull(option, "option == null");
        if (declared.putIfAbsent(option.name(), option) != null) {
          throw new IllegalArgumentException("option '" + option.name() + "' is declared twice");
        }
      }
      this.options.putAll(declared);
      this.optionsSet = true;
      return this;
    }

    /**
     * What to do when {@code point} or {@code batch} throws; default {@link OnError#FAIL_TASK}.
     *
     * @throws NullPointerException if the policy is null
     * @throws IllegalStateException if already set
     */
    public Builder onError(OnError onError) {
      Objects.requireNonNull(onError, "onError == null");
      if (onErrorSet) throw new IllegalStateException("onError was already set to " + this.onError);
      this.onError = onError;
      this.onErrorSet = true;
      return this;
    }

    /**
     * Calls {@link Udf#timer} every period, from Init to the end of the connection; a UDF may set
     * its own period at Init instead ({@link InitContext#timer}).
     *
     * @throws NullPointerException if the period is null
     * @throws IllegalArgumentException if the period is under a millisecond
     * @throws IllegalStateException if already set
     */
    public Builder timer(Duration period) {
      if (timerPeriod != null)
        throw new IllegalStateException("timer was already set to " + timerPeriod);
      this.timerPeriod = checkTimerPeriod(period);
      return this;
    }

    public UdfSpec build() {
      return new UdfSpec(this);
    }
  }
}
