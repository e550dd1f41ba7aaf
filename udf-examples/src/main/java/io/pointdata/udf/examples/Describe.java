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
   * JVM flags for an example UDF, process or socket: the project's recommendation, built into the
   * distribution's launcher and measured at Kapacitor's pace in BENCHMARKS.md. The first two send
   * the JVM's own warnings to stderr: by default they go to stdout, the protocol channel of a
   * process UDF (a stale CDS archive or an unavailable large-page setting would break the first
   * frame). The serial collector with a fixed 8 MiB young generation suits one or two busy threads
   * and a live set of a few MiB; rfc's 600-tree forest trains in far less than 32 MiB. C1 only:
   * Kapacitor feeds a UDF at most ~60,000 points/s, which C1's code handles with CPU to spare, and
   * C2's compiler threads and their memory were a third of the peak RSS. Where an archive is set
   * up, {@link #jvmFlags} adds it.
   */
  static final List<String> PROCESS_JVM_FLAGS =
      List.of(
          "-Xlog:disable",
          "-Xlog:all=warning:stderr",
          "-XX:+UseSerialGC",
          "-Xmn8m",
          "-Xmx32m",
          "-XX:TieredStopAtLevel=1");

  /**
   * What to send a UDF to make the archive: an InfoRequest, then an InitRequest without options.
   */
  static final String ARCHIVE_INPUT = "\\x02\\x0a\\x00\\x02\\x12\\x00";

  private Describe() {}

  /** The AppCDS archive of {@code jar}'s classes, next to it: made once per jar and JDK. */
  static Path archiveFor(Path jar) {
    String name = jar.getFileName().toString();
    return jar.resolveSibling(
        (name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name) + ".jsa");
  }

  /**
   * The JVM flags for {@code jar}: {@link #PROCESS_JVM_FLAGS} and the jar's archive. A missing
   * archive file is ignored without a word; a stale one with a warning, on stderr.
   */
  static List<String> jvmFlags(Path jar) {
    List<String> flags = new ArrayList<>(PROCESS_JVM_FLAGS);
    flags.add("-XX:SharedArchiveFile=" + archiveFor(jar));
    return flags;
  }

  /**
   * The shell command that makes {@code jar}'s archive: rfc through Info and Init, so that it holds
   * the classes every example loads at start and those rfc's training loads.
   */
  static String archiveCommand(Path jar, Path java) {
    return "printf '"
        + ARCHIVE_INPUT
        + "' | "
        + java
        + " -XX:ArchiveClassesAtExit="
        + archiveFor(jar)
        + " "
        + String.join(" ", PROCESS_JVM_FLAGS)
        + " -jar "
        + jar
        + " rfc > /dev/null";
  }

  /** The description of an example run from {@code jar} by the {@code java} binary. */
  static String describe(Example example, Path jar, Path java) {
    return describe(example, jar, java, null);
  }

  /**
   * The description of an example run by the distribution's {@code launcher} ({@code
   * bin/udf-examples}, which has the JVM flags and the archive built in), or, if it is null, from
   * {@code jar} by the {@code java} binary.
   */
  static String describe(Example example, Path jar, Path java, Path launcher) {
    UdfSpec spec = example.factory().get().spec();
    String name = example.command();
    StringBuilder out = new StringBuilder();
    out.append(name).append(": ").append(example.summary()).append('\n');
    out.append("wants ")
        .append(lower(spec.wants()))
        .append(", provides ")
        .append(lower(spec.provides()))
        .append("\n\n");

    out.append("Options, set in a TICKscript as @").append(name).append("().option(value):\n");
    int width = spec.options().keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Option<?> option : spec.options().values()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-" + width + "s  %-6s  %-22s  %s%n",
              option.name(),
              option.isFlag() ? "flag" : option.type().name(),
              defaultText(option),
              example.help(option)));
    }
    if (spec.options().isEmpty()) out.append("  (none)\n");

    if (launcher == null) {
      appendJarSections(out, example, jar, java);
    } else {
      appendLauncherSections(out, example, launcher);
    }

    out.append("\nTICKscript:\n");
    out.append("  stream\n    |from()\n      .measurement('")
        .append(example.measurement())
        .append("')\n");
    if (spec.wants() == Edge.BATCH)
      out.append("    |window()\n      .period(3s)\n      .every(3s)\n");
    out.append("    @").append(name).append("()\n");
    for (Option<?> option : spec.options().values()) {
      if (option.isFlag()) {
        out.append("      // .").append(option.name()).append("()\n");
      } else if (option.defaultValue() != null) {
        out.append("      .")
            .append(option.name())
            .append('(')
            .append(tickLiteral(option.defaultValue()))
            .append(")\n");
      } else {
        out.append("      // .")
            .append(option.name())
            .append('(')
            .append(option.type().name())
            .append(")\n");
      }
    }
    return out.toString();
  }

  /** kapacitor.conf sections that run {@code java} with the flags and {@code jar}. */
  private static void appendJarSections(StringBuilder out, Example example, Path jar, Path java) {
    String name = example.command();
    out.append(
        "\n"
            + "JVM flags: the archive of the jar's classes cuts the start-up by a third to a half."
            + " Make it once per jar\n"
            + "and JDK, again after each upgrade (a missing file is ignored silently, a stale one"
            + " with a warning):\n");
    out.append("  ").append(archiveCommand(jar, java)).append('\n');

    out.append(
        "\n"
            + "kapacitor.conf, process UDF (Kapacitor starts the JVM once at its start for Info,"
            + " then once per task node):\n");
    List<String> args = new ArrayList<>(jvmFlags(jar));
    args.addAll(List.of("-jar", jar.toString(), name));
    out.append("  [udf.functions.").append(name).append("]\n");
    out.append("    prog = ").append(quote(java.toString())).append('\n');
    out.append("    args = [")
        .append(args.stream().map(Describe::quote).collect(Collectors.joining(", ")))
        .append("]\n");
    out.append("    timeout = ").append(quote(confDuration(example.timeout()))).append('\n');

    Path socket = example.defaultSocket();
    out.append("\nkapacitor.conf, socket UDF (start it before kapacitord: ")
        .append(java)
        .append(' ')
        .append(String.join(" ", jvmFlags(jar)))
        .append(" -jar ")
        .append(jar)
        .append(' ')
        .append(name)
        .append(" --socket ")
        .append(socket)
        .append("):\n");
    out.append("  [udf.functions.").append(name).append("]\n");
    out.append("    socket = ").append(quote(socket.toString())).append('\n');
    out.append("    timeout = ").append(quote(confDuration(example.timeout()))).append('\n');
  }

  /** kapacitor.conf sections that run the distribution's launcher. */
  private static void appendLauncherSections(StringBuilder out, Example example, Path launcher) {
    String name = example.command();
    out.append("\nJVM flags: built into ")
        .append(launcher)
        .append(
            " (UDF_JAVA_OPTS replaces them). It picks up the\n"
                + "start-up archive for the JDK it runs on; make it once, and again after each"
                + " upgrade of the JDK:\n");
    out.append("  ").append(launcher).append(" archive\n");

    out.append(
        "\n"
            + "kapacitor.conf, process UDF (Kapacitor starts the JVM once at its start for Info,"
            + " then once per task node):\n");
    out.append("  [udf.functions.").append(name).append("]\n");
    out.append("    prog = ").append(quote(launcher.toString())).append('\n');
    out.append("    args = [").append(quote(name)).append("]\n");
    out.append("    timeout = ").append(quote(confDuration(example.timeout()))).append('\n');

    Path socket = example.defaultSocket();
    out.append("\nkapacitor.conf, socket UDF (start it before kapacitord: ")
        .append(launcher)
        .append(' ')
        .append(name)
        .append(" --socket ")
        .append(socket)
        .append("):\n");
    out.append("  [udf.functions.").append(name).append("]\n");
    out.append("    socket = ").append(quote(socket.toString())).append('\n');
    out.append("    timeout = ").append(quote(confDuration(example.timeout()))).append('\n');
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
    if (value instanceof Long || value instanceof Integer) return value.toString();
    if (value instanceof String s) return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    if (value instanceof Boolean b) return b ? "TRUE" : "FALSE";
    if (value instanceof Duration d) return tickDuration(d);
    throw new IllegalArgumentException("no TICKscript literal for " + value.getClass().getName());
  }

  /**
   * A duration as TICKscript and kapacitor.conf write it: in its largest whole unit, e.g. 20s,
   * 1500ms.
   */
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

  /**
   * A kapacitor.conf timeout: whole seconds as EII writes them ("60s"), else as TICKscript would.
   */
  static String confDuration(Duration d) {
    return d.toNanos() % 1_000_000_000L == 0 ? d.toSeconds() + "s" : tickDuration(d);
  }

  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
