package io.pointdata.udf;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A versioned snapshot: a header the library writes (magic and version) before the UDF's bytes, so
 * a UDF restored from an older or newer snapshot fails with a clear message or migrates, instead of
 * misreading bytes.
 *
 * <pre>{@code
 * static final SnapshotFormat<Averages> FORMAT =
 *     SnapshotFormat.of(2, Averages::encode, Averages::decodeV2).migrateFrom(1, Averages::decodeV1);
 *
 * public byte[] snapshot() { return FORMAT.write(averages); }
 * public void restore(byte[] snapshot) { averages = FORMAT.read(snapshot); }
 * }</pre>
 *
 * <p>For simple state (numbers, strings, arrays of doubles) {@link #ofValues} writes the bytes
 * itself: the UDF only says which values, in which order.
 *
 * <pre>{@code
 * static final SnapshotFormat<Window> WINDOW = SnapshotFormat.ofValues(1,
 *     (window, out) -> out.putInt(window.size).putDouble(window.average).putDoubles(window.values()),
 *     in -> new Window(in.getInt(), in.getDouble(), in.getDoubles()));
 * }</pre>
 *
 * <p>A {@link UdfException} thrown by {@link #read} from {@link Udf#restore} becomes a failed
 * RestoreResponse: Kapacitor reports "error restoring snapshot: …" and the task does not start,
 * rather than running on state it misread. Immutable and thread-safe.
 *
 * @param <T> the state's type
 */
public final class SnapshotFormat<T> {
  /** Writes the state as bytes. */
  @FunctionalInterface
  public interface Encoder<T> {
    byte[] encode(T state) throws Exception;
  }

  /** Reads the state back from the bytes of one version. */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(byte[] payload) throws Exception;
  }

  private static final byte[] MAGIC = {'U', 'D', 'F', 'S'};
  private static final int HEADER = MAGIC.length + Integer.BYTES;

  private final int version;
  private final Encoder<T> encoder;
  private final Map<Integer, Decoder<T>> decoders;

  private SnapshotFormat(int version, Encoder<T> encoder, Map<Integer, Decoder<T>> decoders) {
    this.version = version;
    this.encoder = encoder;
    this.decoders = decoders;
  }

  /**
   * A format that writes {@code version} and reads it back.
   *
   * @throws IllegalArgumentException if the version is not positive
   * @throws NullPointerException if the encoder or the decoder is null
   */
  public static <T> SnapshotFormat<T> of(int version, Encoder<T> encoder, Decoder<T> decoder) {
    if (version < 1) throw new IllegalArgumentException("version < 1: " + version);
    Map<Integer, Decoder<T>> decoders = new TreeMap<>();
    decoders.put(version, Objects.requireNonNull(decoder, "decoder == null"));
    return new SnapshotFormat<>(
        version, Objects.requireNonNull(encoder, "encoder == null"), decoders);
  }

  /**
   * A format that writes {@code version} and reads it back as a sequence of typed values: {@code
   * writer} puts the state's values into a {@link SnapshotWriter}, {@code reader} gets them back in
   * the same order from a {@link SnapshotReader} and builds the state. A snapshot with values of
   * other types, fewer or more values than {@code reader} reads, is refused with a message that
   * names the first wrong value.
   *
   * @throws IllegalArgumentException if the version is not positive
   * @throws NullPointerException if the writer or the reader is null
   */
  public static <T> SnapshotFormat<T> ofValues(
      int version,
      BiConsumer<? super T, SnapshotWriter> writer,
      Function<SnapshotReader, ? extends T> reader) {
    Objects.requireNonNull(writer, "writer == null");
    return of(
        version,
        state -> {
          SnapshotWriter out = new SnapshotWriter();
          writer.accept(state, out);
          return out.toByteArray();
        },
        valuesDecoder(reader));
  }

  /**
   * This format, also reading snapshots of an older version written by {@link #ofValues}, with the
   * given reader of that version's values.
   *
   * @throws IllegalArgumentException as {@link #migrateFrom}
   * @throws NullPointerException if the reader is null
   */
  public SnapshotFormat<T> migrateValuesFrom(
      int oldVersion, Function<SnapshotReader, ? extends T> reader) {
    return migrateFrom(oldVersion, valuesDecoder(reader));
  }

  private static <T> Decoder<T> valuesDecoder(Function<SnapshotReader, ? extends T> reader) {
    Objects.requireNonNull(reader, "reader == null");
    return payload -> {
      SnapshotReader in = new SnapshotReader(payload);
      T state = reader.apply(in);
      in.finish();
      return state;
    };
  }

  /**
   * This format, also reading snapshots of an older version with the given decoder.
   *
   * @throws IllegalArgumentException if the version is not older than the current one, or is known
   * @throws NullPointerException if the decoder is null
   */
  public SnapshotFormat<T> migrateFrom(int oldVersion, Decoder<T> decoder) {
    if (oldVersion < 1 || oldVersion >= version) {
      throw new IllegalArgumentException(
          "a migration must be from an older version than " + version + ": " + oldVersion);
    }
    if (decoders.containsKey(oldVersion))
      throw new IllegalArgumentException("version " + oldVersion + " is already readable");
    Map<Integer, Decoder<T>> more = new TreeMap<>(decoders);
    more.put(oldVersion, Objects.requireNonNull(decoder, "decoder == null"));
    return new SnapshotFormat<>(version, encoder, more);
  }

  /** The version this format writes. */
  public int version() {
    return version;
  }

  /** The state's bytes behind this format's header. */
  public byte[] write(T state) {
    byte[] payload;
    try {
      payload = encoder.encode(state);
    } catch (Exception e) {
      throw new UdfException("cannot write snapshot version " + version + ": " + e, e);
    }
    return ByteBuffer.allocate(HEADER + payload.length)
        .put(MAGIC)
        .putInt(version)
        .put(payload)
        .array();
  }

  /**
   * Reads a snapshot written by this format or one it migrates from.
   *
   * @throws UdfException naming the problem: not a versioned snapshot, a version it cannot read, or
   *     bytes its decoder refused
   */
  public T read(byte[] snapshot) {
    Objects.requireNonNull(snapshot, "snapshot == null");
    if (snapshot.length < HEADER
        || !Arrays.equals(snapshot, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new UdfException(
          "the snapshot ("
              + snapshot.length
              + " bytes) has no version header: it was not written by this UDF");
    }
    int found = ByteBuffer.wrap(snapshot, MAGIC.length, Integer.BYTES).getInt();
    Decoder<T> decoder = decoders.get(found);
    if (decoder == null) {
      throw new UdfException(
          found > version
              ? "snapshot version "
                  + found
                  + " is newer than this UDF reads ("
                  + version
                  + "); upgrade the UDF"
              : "snapshot version "
                  + found
                  + " is older than this UDF reads "
                  + decoders.keySet()
                  + " and has no migration");
    }
    try {
      return decoder.decode(Arrays.copyOfRange(snapshot, HEADER, snapshot.length));
    } catch (UdfException e) {
      throw e;
    } catch (Exception e) {
      throw new UdfException("snapshot version " + found + " could not be read: " + e, e);
    }
  }
}
