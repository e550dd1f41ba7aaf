package io.pointdata.udf.testing.conformance;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.testing.TestData;
import io.pointdata.udf.testing.TickOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conformance runner's command line.
 *
 * @param command the UDF process's command (kapacitor.conf's prog and args), or null for a socket
 * @param env extra environment variables of the process
 * @param socket the UDF's socket, or null for a process
 * @param init the task's options, or null to generate one value of each declared type
 * @param pointTemplates the points the data checks send, cycled
 * @param points how many points the load check and the pipelined-output check send
 * @param timeout the keepalive timeout, as kapacitor.conf's
 * @param patience how long to wait for an answer or an exit before calling it a hang
 * @param sessions how many concurrent sessions to open on a socket
 * @param deterministic whether the same input gives the same output, so the data checks compare
 *     outputs and not only their counts
 */
record ConformanceConfig(
    List<String> command,
    Map<String, String> env,
    Path socket,
    TickOptions init,
    List<UdfProto.Point> pointTemplates,
    int points,
    Duration timeout,
    Duration patience,
    int sessions,
    boolean deterministic) {

  static final int BATCH_SIZE = 10;

  static final String USAGE =
      String.join(
          "\n",
          "usage: java -jar udf-conformance.jar [options] --process PROG [ARGS...]",
          "       java -jar udf-conformance.jar [options] --socket PATH",
          "",
          "Runs Kapacitor's side of the UDF protocol against a UDF and prints which conformance"
              + " checks pass.",
          "",
          "options:",
          "  --init TICKSCRIPT   the task's options, e.g. \".field('value').size(10)\"; default:"
              + " one value",
          "                      of each option's declared types",
          "  --point LINE        a point to send, in InfluxDB line protocol (repeatable, sent in"
              + " turn);",
          "                      default: udf_conformance,host=a|b with values 1.0, 2.0, 4.0, 8.0"
              + " and 3.0",
          "  --points N          how many points the keepalive-under-load and pipelined-output"
              + " checks",
          "                      send; default 2000",
          "  --timeout DURATION  the UDF's keepalive timeout, as in kapacitor.conf; default 10s",
          "  --wait DURATION     how long to wait for an answer or an exit before calling it a"
              + " hang; default 10s",
          "  --env NAME=VALUE    with --process: an environment variable for the UDF (repeatable)",
          "  --sessions N        with --socket: how many sessions to run at once; default 4",
          "  --nondeterministic  the UDF's output is not a function of its input (wall-clock time,"
              + " random",
          "                      sampling): the pipelined-output and state-restored checks compare"
              + " counts only",
          "",
          "Exit status: 0 when no check fails, 1 when one does, 2 on a bad command line, 3 when the"
              + " runner itself failed.");

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static ConformanceConfig parse(String[] args) {
    List<String> command = null;
    Map<String, String> env = new LinkedHashMap<>();
    Path socket = null;
    TickOptions init = null;
    List<UdfProto.Point> templates = new ArrayList<>();
    int points = 2000;
    Duration timeout = Duration.ofSeconds(10);
    Duration wait = Duration.ofSeconds(10);
    int sessions = 4;
    boolean deterministic = true;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--process" -> {
          command = List.of(args).subList(i + 1, args.length);
          if (command.isEmpty()) throw new IllegalArgumentException("--process needs a program");
          i = args.length;
        }
        case "--socket" -> socket = Path.of(value(args, ++i, arg));
        case "--init" -> init = TickOptions.parse(value(args, ++i, arg));
        case "--point" -> templates.add(Protocol.toProto(TestData.point(value(args, ++i, arg))));
        case "--points" -> points = positive(value(args, ++i, arg), arg);
        case "--timeout" -> timeout = duration(value(args, ++i, arg), arg);
        case "--wait" -> wait = duration(value(args, ++i, arg), arg);
        case "--sessions" -> sessions = positive(value(args, ++i, arg), arg);
        case "--nondeterministic" -> deterministic = false;
        case "--env" -> {
          String pair = value(args, ++i, arg);
          int eq = pair.indexOf('=');
          if (eq <= 0) throw new IllegalArgumentException("--env takes NAME=VALUE, got " + pair);
          env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    if ((command == null) == (socket == null)) {
      throw new IllegalArgumentException("give either --process PROG [ARGS...] or --socket PATH");
    }
    if (templates.isEmpty()) {
      // Values and groups that vary, so that state kept per group shows in the output.
      for (String line :
          List.of(
              "udf_conformance,host=a value=1.0",
              "udf_conformance,host=b value=2.0",
              "udf_conformance,host=a value=4.0",
              "udf_conformance,host=b value=8.0",
              "udf_conformance,host=a value=3.0")) {
        templates.add(Protocol.toProto(TestData.point(line)));
      }
    }
    if (points < 10)
      throw new IllegalArgumentException("--points must be at least 10, got " + points);
    return new ConformanceConfig(
        command,
        Map.copyOf(env),
        socket,
        init,
        List.copyOf(templates),
        points,
        timeout,
        wait,
        sessions,
        deterministic);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
    return args[i];
  }

  private static int positive(String text, String option) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " takes a positive number, got " + text);
  }

  private static Duration duration(String text, String option) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          option + " takes a duration such as 500ms, 10s or 1m, got " + text);
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          default -> Duration.ofMinutes(n);
        };
    if (d.compareTo(Duration.ofMillis(1)) <= 0)
      throw new IllegalArgumentException(option + " must be over 1ms");
    return d;
  }
}
