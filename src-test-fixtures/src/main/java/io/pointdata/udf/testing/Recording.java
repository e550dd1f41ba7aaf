package io.pointdata.udf.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The frames of one session, both directions, in the order the simulator wrote or read them.
 *
 * <p>A live session records itself ({@link TaskSession#recording()}). A recording can be saved as
 * two framed files, requests and responses, the layout of Kapacitor captures ({@code
 * name.requests.bin}, {@code name.responses.bin}), and replayed against a UDF with {@link
 * KapacitorSimulator#replay}. Loaded from files, the two directions are no longer interleaved: all
 * requests come first. Immutable.
 */
public final class Recording {
  /** Which way a frame went. */
  public enum Direction {
    TO_UDF,
    FROM_UDF
  }

  /**
   * One frame: its direction, when it passed (the simulator's clock, ns since the epoch; 0 when
   * loaded from files), and its body as on the wire, without the length.
   */
  public record Frame(Direction direction, long timeNanos, ByteString body) {
    public Frame {
      Objects.requireNonNull(direction, "direction == null");
      Objects.requireNonNull(body, "body == null");
    }

    /**
     * The frame as a request.
     *
     * @throws IllegalStateException if it is a response, or not a valid message
     */
    public Request request() {
      if (direction != Direction.TO_UDF)
        throw new IllegalStateException("a frame from the UDF is a response");
      try {
        return Request.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("frame is not a valid Request: " + e.getMessage(), e);
      }
    }

    /**
     * The frame as a response.
     *
     * @throws IllegalStateException if it is a request, or not a valid message
     */
    public Response response() {
      if (direction != Direction.FROM_UDF)
        throw new IllegalStateException("a frame to the UDF is a request");
      try {
        return Response.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("frame is not a valid Response: " + e.getMessage(), e);
      }
    }

    @Override
    public String toString() {
      String text;
      try {
        text = Texts.oneLine(direction == Direction.TO_UDF ? request() : response());
      } catch (IllegalStateException e) {
        text = "<" + body.size() + " bytes: " + e.getMessage() + ">";
      }
      return (direction == Direction.TO_UDF ? "-> " : "<- ") + text;
    }
  }

  private final List<Frame> frames;

  private Recording(List<Frame> frames) {
    this.frames = List.copyOf(frames);
  }

  /** A recording of these frames, in order. */
  public static Recording of(List<Frame> frames) {
    return new Recording(Objects.requireNonNull(frames, "frames == null"));
  }

  /** A recording of the requests, then the responses. */
  public static Recording of(List<Request> requests, List<Response> responses) {
    List<Frame> frames = new ArrayList<>();
    requests.forEach(r -> frames.add(new Frame(Direction.TO_UDF, 0, r.toByteString())));
    responses.forEach(r -> frames.add(new Frame(Direction.FROM_UDF, 0, r.toByteString())));
    return new Recording(frames);
  }

  /**
   * Reads a recording from two framed streams, as {@link #writeTo} writes them.
   *
   * @throws IOException on a truncated frame
   */
  public static Recording read(InputStream requests, InputStream responses) throws IOException {
    List<Frame> frames = new ArrayList<>();
    readFrames(requests, Direction.TO_UDF, frames);
    readFrames(responses, Direction.FROM_UDF, frames);
    return new Recording(frames);
  }

  /**
   * Loads {@code prefix.requests.bin} and {@code prefix.responses.bin} from the classpath, e.g.
   * {@code /golden/wire/captured/go_moving_avg_process.2}.
   *
   * @throws IllegalArgumentException if either file is missing
   */
  public static Recording fromClasspath(String prefix) {
    Objects.requireNonNull(prefix, "prefix == null");
    try {
      return read(
          new ByteArrayInputStream(Golden.bytes(prefix + ".requests.bin")),
          new ByteArrayInputStream(Golden.bytes(prefix + ".responses.bin")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the recording " + prefix, e);
    }
  }

  private static void readFrames(InputStream in, Direction direction, List<Frame> into)
      throws IOException {
    byte[] body;
    while ((body = Frames.read(in)) != null)
      into.add(new Frame(direction, 0, ByteString.copyFrom(body)));
  }

  /** Writes the requests and the responses as two framed streams. */
  public void writeTo(OutputStream requests, OutputStream responses) throws IOException {
    for (Frame f : frames) {
      Frames.write(
          f.direction() == Direction.TO_UDF ? requests : responses, f.body().toByteArray());
    }
  }

  public List<Frame> frames() {
    return frames;
  }

  /** The requests, in order. */
  public List<Request> requests() {
    return frames.stream()
        .filter(f -> f.direction() == Direction.TO_UDF)
        .map(Frame::request)
        .toList();
  }

  /** The responses, in order. */
  public List<Response> responses() {
    return frames.stream()
        .filter(f -> f.direction() == Direction.FROM_UDF)
        .map(Frame::response)
        .toList();
  }

  /** One frame a line, {@code ->} to the UDF, {@code <-} from it. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    frames.forEach(f -> s.append(f).append('\n'));
    return s.toString();
  }
}
