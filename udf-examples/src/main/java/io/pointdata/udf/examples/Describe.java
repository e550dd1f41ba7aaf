package io.pointdata.udf.examples;

import io.pointdata.udf.Edge;
import io.pointdata.udf.Option;
import io.pointdata.udf.UdfSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes what an operator needs to deploy an example UDF: its options, its kapacitor.conf sections
 * and a TICKscript call, all generated from the UDF's declared {@link UdfSpec}, so they cannot fall
 * behind the code.
 */
final class Describe {
  /**
   * JVM flags for a process UDF, which Kapacitor starts once per task node and once at its own start:
   * C1 only and the serial collector start fastest, and CDS shares the JDK's class data. The last two
   * send the JVM's own warnings to stderr: by default they go to stdout, the protocol channel (a
   * stale CDS archive or an unavailable large-page setting would break the first frame).
   */
  static final List<String> PROCESS_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
      "-Xshare:auto", "-Xss512k", "-Xlog:disable", "-Xlog:all=warning:stderr");

  private Describe() {}

  /** The description of an example run from {@code jar} by the {@code java} binary. */
  static String describe(Example example, Path jar, Path java) {
    UdfSpec spec = example.factory().get().spec();
    String name = example.command();
    StringBuilder out = new StringBuilder();
    out.append(name).append(": ").append(example.summary()).append('\n');
    out.append("wants ").append(lower(spec.wants())).append(", provides ").append(lower(spec.provides())).append("\n\n");

    out.append("Options, set in a TICKscript as @").append(name).append("().option(value):\n");
    int width = spec.options().keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Option<?> option : spec.options().values()) {
      out.append(String.format(Locale.ROOT, "  %-" + width + "s  %-6s  %-22s  %s%n",
          option.name(), option.isFlag() ? "flag" : option.type().name(), defaultText(option), example.help(option)));
    }
    if (spec.options().isEmpty()) out.append("  (none)\n");

    out.append("\nkapacitor.conf, process UDF (Kapacitor starts the JVM once at its start for Info, then once per task node):\n");
    List<String> args = new ArrayList<>(PROCESS_JVM_FLAGS);
    args.addAll(List.of("-jar", jar.toString(), name));
    out.append("  [udf.functions.").append(name).append("]\n");
    out.append("    prog = ").append(quote(java.toString())).append('\n');
    out.append("    args = [").append(args.stream().map(Describe::quote).collect(Collectors.joining(", "))).append("]\n");
    out.append("    timeout = ").append(quote(confDuration(example.timeout()))).append('\n');

    Path socket = example.defaultSocket();
    out.append("\nkapacitor.conf, socket UDF (start it before kapacitord: ")
        .append(java).append(" -jar ").append(jar).append(' ').append(name).append(" --socket ").append(socket).append("):\n");
    out.append("  [udf.functions.").append(name).append("]\n");
    out.append("    socket = ").append(quote(socket.toString())).append('\n');
    out.append("    timeout = ").append(quote(confDuration(example.timeout()))).append('\n');

    out.append("\nTICKscript:\n");
    out.append("  stream\n    |from()\n      .measurement('").append(example.measurement()).append("')\n");
    if (spec.wants() == Edge.BATCH) out.append("    |window()\n      .period(3s)\n      .every(3s)\n");
    out.append("    @").append(name).append("()\n");
    for (Option<?> option : spec.options().values()) {
      if (option.isFlag()) {
        out.append("      // .").append(option.name()).append("()\n");
      } else if (option.defaultValue() != null) {
        out.append("      .").append(option.name()).append('(').append(tickLiteral(option.defaultValue())).append(")\n");
      } else {
        out.append("      // .").append(option.name()).append('(').append(option.type().name()).append(")\n");
      }
    }
    return out.toString();
  }

  private static String lower(Edge edge) {
    return edge.name().toLowerCase(Locale.ROOT);
  }

  private static String defaultText(Option<?> option) {
    if (option.isFlag()) return "off unless given";
    if (option.defaultValue() != null) return "default " + tickLiteral(option.defaultValue());
    return option.isRequired() ? "required" : "optional";
  }

  /** A value as a TICKscript literal: 20.0, 600, 'text', TRUE, 10s. */
  static String tickLiteral(Object value) {
    if (value instanceof Double d) {
      String plain = BigDecimal.valueOf(d).toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    if (value instanceof Long l) return Long.toString(l);
    if (value instanceof String s) return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    if (value instanceof Boolean b) return b ? "TRUE" : "FALSE";
    if (value instanceof Duration d) return tickDuration(d);
    throw new IllegalArgumentException("no TICKscript literal for " + value.getClass().getName());
  }

  /** A duration as TICKscript and kapacitor.conf write it: in its largest whole unit, e.g. 20s, 1500ms. */
  static String tickDuration(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) return "0s";
    long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
    String[] names = {"h", "m", "s", "ms", "u"};
    for (int i = 0; i < units.length; i++) {
      if (nanos % units[i] == 0) return nanos / units[i] + names[i];
    }
    return nanos + "ns";
  }

  /** A kapacitor.conf timeout: whole seconds as EII writes them ("60s"), else as TICKscript would. */
  static String confDuration(Duration d) {
    return d.toNanos() % 1_000_000_000L == 0 ? d.toSeconds() + "s" : tickDuration(d);
  }

  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
