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

  /** Builds a {@link UdfSpec}; each setter checks its argument at once. */
  public static final class Builder {
    private final Edge wants;
    private Edge provides;
    private final Map<String, Option<?>> options = new LinkedHashMap<>();
    private OnError onError = OnError.FAIL_TASK;
    private Duration timerPeriod;

    private Builder(Edge wants) {
      this.wants = wants;
      this.provides = wants;
    }

    /** Sets the edge the UDF emits (for chaining). */
    public Builder provides(Edge provides) {
      this.provides = Objects.requireNonNull(provides, "provides == null");
      return this;
    }

    /**
     * Declares options (for chaining).
     *
     * @throws IllegalArgumentException if two options share a name
     */
    public Builder options(Option<?>... options) {
      return options(List.of(options));
    }

    /** Declares options (for chaining). */
    public Builder options(List<? extends Option<?>> options) {
      for (Option<?> option : options) {
        Objects.requireNonNull(option, "option == null");
        if (this.options.putIfAbsent(option.name(), option) != null) {
          throw new IllegalArgumentException("option '" + option.name() + "' is declared twice");
        }
      }
      return this;
    }

    /** What to do when {@code point} or {@code batch} throws; default {@link OnError#FAIL_TASK}. */
    public Builder onError(OnError onError) {
      this.onError = Objects.requireNonNull(onError, "onError == null");
      return this;
    }

    /**
     * Calls {@link Udf#timer} every period, from Init to the end of the connection; a UDF may set
     * its own period at Init instead ({@link InitContext#timer}).
     *
     * @throws IllegalArgumentException if the period is under a millisecond
     */
    public Builder timer(Duration period) {
      this.timerPeriod = checkTimerPeriod(period);
      return this;
    }

    public UdfSpec build() {
      return new UdfSpec(this);
    }
  }
}
