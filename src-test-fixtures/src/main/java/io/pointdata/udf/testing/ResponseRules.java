package io.pointdata.udf.testing;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kapacitor's side of the responses of one UDF connection, as its {@code handleResponse} judges
 * them: management answers are matched to requests by type only and kept in a one-slot channel per
 * type; BeginBatch, points and EndBatch become {@link Output}s; whatever would crash or confuse a
 * real Kapacitor is recorded as a violation with the reason.
 *
 * <p>Not thread-safe: {@link TaskSession} calls it under its lock. It has no threads, I/O or timers
 * of its own; what a response does to the connection (an abort, a crash) it returns as an {@link
 * Ending} for the session to carry out.
 */
final class ResponseRules {
  private static final Logger log = LoggerFactory.getLogger(ResponseRules.class);

  /**
   * How a response ends the session: Kapacitor's error text, the explanation a test failure gives,
   * and whether kapacitord crashed (a crash is also a violation) or aborted the UDF.
   */
  record Ending(String error, String explanation, boolean crash) {}

  private final String name;

  /** The UDF's Info, for the edge it provides; null when not known (a start-up session). */
  private final UdfProto.InfoResponse info;

  /** Requests of each kind sent and not yet answered. */
  private final Map<Response.MessageCase, Integer> outstanding =
      new EnumMap<>(Response.MessageCase.class);

  /** Kapacitor's one-slot channel per answer kind. */
  private final Map<Response.MessageCase, Response> answers =
      new EnumMap<>(Response.MessageCase.class);

  private final Deque<Output> outputs = new ArrayDeque<>();
  private final List<String> violations = new ArrayList<>();
  private boolean crashed;
  private long keepaliveReplies;
  private UdfProto.BeginBatch openBatch;
  private final List<UdfProto.Point> openBatchPoints = new ArrayList<>();

  ResponseRules(String name, UdfProto.InfoResponse info) {
    this.name = name;
    this.info = info;
  }

  // ---------------------------------------------------------------- requests and answers

  /**
   * Notes a request about to be sent, so that its answer is expected rather than unsolicited.
   * Keepalives are not counted: any number of their answers is fine.
   */
  void expectAnswerTo(Request request) {
    Response.MessageCase kind = answerKind(request);
    if (kind != null && kind != Response.MessageCase.KEEPALIVE)
      outstanding.merge(kind, 1, Integer::sum);
  }

  /** Takes the answer of the given kind out of its slot; null if none has arrived. */
  Response takeAnswer(Response.MessageCase kind) {
    return answers.remove(kind);
  }

  /** Keepalive answers received so far. */
  long keepaliveReplies() {
    return keepaliveReplies;
  }

  // ---------------------------------------------------------------- responses

  /**
   * Handles one response as Kapacitor's {@code handleResponse} does. After a crash kapacitord is
   * gone, and later responses are ignored.
   *
   * @param frameLength the length of the frame it came in, for the report of an empty response
   * @return how the response ends the session, or null if it does not
   */
  Ending accept(Response response, int frameLength) {
    if (crashed) return null;
    return switch (response.getMessageCase()) {
      case KEEPALIVE -> {
        keepaliveReplies++;
        yield null;
      }
      case INFO, INIT, SNAPSHOT, RESTORE -> {
        answer(response);
        yield null;
      }
      case ERROR -> {
        String error = response.getError().getError();
        yield new Ending(
            error,
            "the UDF sent an ErrorResponse: \""
                + error
                + "\"; Kapacitor aborts the UDF and the task's node fails",
            false);
      }
      case BEGIN -> begin(response.getBegin());
      case POINT -> {
        point(response.getPoint());
        yield null;
      }
      case END -> end(response.getEnd());
      case MESSAGE_NOT_SET ->
          crash(
              "panic: unexpected response message <nil>",
              "the UDF sent a Response with no message set ("
                  + frameLength
                  + " bytes"
                  + (response.getUnknownFields().asMap().isEmpty()
                      ? ""
                      : ", only unknown fields " + response.getUnknownFields().asMap().keySet())
                  + "): Kapacitor panics ('unexpected response message <nil>') and kapacitord"
                  + " crashes");
    };
  }

  /**
   * Notes that the UDF's output has ended: a batch still open then is never forwarded (unless
   * kapacitord already crashed, which says enough).
   */
  void outputEnded() {
    if (openBatch != null && !crashed) {
      violation(
          "the UDF's output ended inside batch '"
              + openBatch.getName()
              + "' (a BeginBatch without its "
              + "EndBatch): Kapacitor never forwards it");
    }
  }

  private void answer(Response response) {
    Response.MessageCase kind = response.getMessageCase();
    int pending = outstanding.getOrDefault(kind, 0);
    if (pending > 0) {
      outstanding.put(kind, pending - 1);
      if (answers.putIfAbsent(kind, response) != null) {
        violation("a second " + describeKind(kind) + "Response arrived before the first was taken");
      }
      return;
    }
    if (answers.putIfAbsent(kind, response) == null) {
      violation(
          "the UDF sent a "
              + describeKind(kind)
              + "Response nobody asked for: Kapacitor buffers it "
              + "silently and takes it as the answer to the next "
              + describeKind(kind)
              + " request: "
              + Texts.oneLine(response));
    } else {
      violation(
          "the UDF sent a "
              + describeKind(kind)
              + "Response nobody asked for: Kapacitor logs 'received "
              + "message without requesting it' and drops it: "
              + Texts.oneLine(response));
    }
  }

  private Ending begin(UdfProto.BeginBatch begin) {
    requireProvides(UdfProto.EdgeType.BATCH, "a BeginBatch");
    if (begin.getSize() < 0) {
      return crash(
          "panic: runtime error: makeslice: cap out of range",
          "the UDF sent a BeginBatch with size "
              + begin.getSize()
              + ": Kapacitor uses it as a slice capacity, "
              + "panics ('makeslice: cap out of range') and kapacitord crashes");
    }
    if (openBatch != null) {
      violation(
          "the UDF sent a BeginBatch while batch '"
              + openBatch.getName()
              + "' was open: Kapacitor "
              + "silently drops the "
              + openBatchPoints.size()
              + " point(s) of the open batch");
    }
    openBatch = begin;
    openBatchPoints.clear();
    return null;
  }

  private void point(UdfProto.Point point) {
    if (openBatch != null) {
      openBatchPoints.add(Conversions.batchPointOut(point));
      return;
    }
    requireProvides(UdfProto.EdgeType.STREAM, "a stream point");
    outputs.add(new Output.StreamPoint(Conversions.streamPointOut(point)));
  }

  private Ending end(UdfProto.EndBatch end) {
    if (openBatch == null) {
      return crash(
          "panic: runtime error: invalid memory address or nil pointer dereference",
          "the UDF sent an EndBatch without a BeginBatch: Kapacitor dereferences its nil batch and"
              + " kapacitord crashes (EndBatch: "
              + Texts.oneLine(end)
              + ")");
    }
    outputs.add(Conversions.batchOut(openBatch, openBatchPoints, end));
    openBatch = null;
    openBatchPoints.clear();
    return null;
  }

  private void requireProvides(UdfProto.EdgeType edge, String what) {
    if (info != null && info.getProvides() != edge) {
      violation(
          "the UDF sent "
              + what
              + " but its Info says provides="
              + info.getProvides()
              + ": Kapacitor "
              + "forwards it on a "
              + info.getProvides().name().toLowerCase()
              + " edge, where the next node does "
              + "not expect it");
    }
  }

  private void violation(String explanation) {
    log.warn("{}: {}", name, explanation);
    violations.add(explanation);
  }

  private Ending crash(String error, String explanation) {
    violation(explanation);
    crashed = true;
    return new Ending(error, explanation, true);
  }

  // ---------------------------------------------------------------- what it found

  /** The next output, or null if none is waiting. */
  Output pollOutput() {
    return outputs.poll();
  }

  /** The next output without taking it, or null if none is waiting. */
  Output peekOutput() {
    return outputs.peek();
  }

  /** Outputs waiting to be taken. */
  int outputCount() {
    return outputs.size();
  }

  /** Every violation so far, each with its reason, in order (a read-only view). */
  List<String> violations() {
    return Collections.unmodifiableList(violations);
  }

  /** Whether a response has crashed kapacitord. */
  boolean crashed() {
    return crashed;
  }

  /** Why no output may be coming: the batch that is open, if one is; else empty. */
  String describeOpenBatch() {
    return openBatch == null
        ? ""
        : " (batch '"
            + openBatch.getName()
            + "' is open with "
            + openBatchPoints.size()
            + " point(s): Kapacitor forwards a batch only at its EndBatch)";
  }

  // ---------------------------------------------------------------- naming

  /** The answer kind a request expects, or null for data. */
  static Response.MessageCase answerKind(Request request) {
    return switch (request.getMessageCase()) {
      case INFO -> Response.MessageCase.INFO;
      case INIT -> Response.MessageCase.INIT;
      case KEEPALIVE -> Response.MessageCase.KEEPALIVE;
      case SNAPSHOT -> Response.MessageCase.SNAPSHOT;
      case RESTORE -> Response.MessageCase.RESTORE;
      default -> null;
    };
  }

  static String describeKind(Response.MessageCase kind) {
    return switch (kind) {
      case INFO -> "Info";
      case INIT -> "Init";
      case KEEPALIVE -> "Keepalive";
      case SNAPSHOT -> "Snapshot";
      case RESTORE -> "Restore";
      default -> kind.name();
    };
  }
}
