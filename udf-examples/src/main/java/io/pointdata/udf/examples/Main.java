package io.pointdata.udf.examples;

import io.pointdata.udf.UdfAgent;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The executable jar: runs an example UDF for Kapacitor, or describes one.
 *
 * <p>In process mode stdout carries the protocol; everything else this jar writes goes to stderr
 * (the logger included), except the output of {@code describe} and {@code help}.
 */
public final class Main {
  static final int USAGE_ERROR = 2;

  /** Set by the distribution's launcher to its own path. */
  static final String LAUNCHER_PROPERTY = "udf.examples.launcher";

  private Main() {}

  public static void main(String[] args) throws Exception {
    int status = run(args, System.out, System.err);
    if (status != 0) System.exit(status);
  }

  /**
   * Runs a command; returns the exit status. UDF commands return when Kapacitor ends the session.
   */
  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) return usage(err, "no command given");
    String command = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Optional<Example> example = Example.named(command);
    if (example.isPresent()) return serve(example.get(), rest, err);
    switch (command) {
      case "describe" -> {
        if (rest.length != 1) return usage(err, "describe takes one UDF name");
        Optional<Example> described = Example.named(rest[0]);
        if (described.isEmpty()) return usage(err, "no UDF named '" + rest[0] + "'");
        out.print(Describe.describe(described.get(), jarPath(), javaPath(), launcherPath()));
        return 0;
      }
      case "help", "-h", "--help" -> {
        return usage(out, null);
      }
      default -> {
        return usage(err, "unknown command '" + command + "'");
      }
    }
  }

  private static int serve(Example example, String[] args, PrintStream err) throws Exception {
    if (args.length >= 1
        && args[0].equals("--socket")
        && (args.length == 1 || args[1].startsWith("--"))) {
      args = withDefaultSocket(args, example);
    }
    if (!(args.length == 0 || (args.length >= 2 && args[0].equals("--socket")))) {
      return usage(
          err, example.command() + " takes no arguments, or --socket [PATH] [--metrics-port PORT]");
    }
    try {
      UdfAgent.main(args, example.factory());
    } catch (IllegalArgumentException e) {
      return usage(err, e.getMessage());
    } catch (java.io.IOException e) {
      err.println("error: " + e.getMessage()); // e.g. the socket path or the metrics port is taken
      return 1;
    }
    return 0;
  }

  private static String[] withDefaultSocket(String[] args, Example example) {
    String[] withPath = new String[args.length + 1];
    withPath[0] = "--socket";
    withPath[1] = example.defaultSocket().toString();
    System.arraycopy(args, 1, withPath, 2, args.length - 1);
    return withPath;
  }

  private static int usage(PrintStream out, String problem) {
    if (problem != null) out.println("error: " + problem + "\n");
    String udfs =
        Arrays.stream(Example.values())
            .map(
                e ->
                    String.format(
                        "  %s [--socket [PATH] [--metrics-port PORT]]%n      %s%n      default"
                            + " socket: %s%n",
                        e.command(), e.summary(), e.defaultSocket()))
            .collect(Collectors.joining());
    out.print(
        "usage: java -jar udf-examples.jar COMMAND [ARGS]\n\n"
            + "Example UDFs for Kapacitor (Intel Edge Insights' classifiers, Kapacitor's own"
            + " examples), run as a process UDF on stdin/stdout,\n"
            + "or with --socket as a socket UDF (--metrics-port: Prometheus metrics on"
            + " 127.0.0.1:PORT/metrics):\n"
            + udfs
            + "\n"
            + "Other commands:\n"
            + "  describe NAME   print NAME's options, its kapacitor.conf sections and a TICKscript"
            + " call\n"
            + "  help            print this message\n");
    return problem == null ? 0 : USAGE_ERROR;
  }

  /** This jar, or a placeholder when run from classes (an IDE, the tests). */
  static Path jarPath() {
    java.security.CodeSource source = Main.class.getProtectionDomain().getCodeSource();
    try {
      if (source != null && source.getLocation() != null) {
        Path location = Path.of(source.getLocation().toURI());
        if (Files.isRegularFile(location)) return location.toAbsolutePath();
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      // Not a file: fall through to the placeholder.
    }
    return Path.of("/path/to/udf-examples.jar");
  }

  /**
   * The distribution's bin/udf-examples when it started this JVM (it says so in a property), else
   * null.
   */
  static Path launcherPath() {
    String launcher = System.getProperty(LAUNCHER_PROPERTY);
    return launcher == null || launcher.isEmpty() ? null : Path.of(launcher);
  }

  /** The java binary running this JVM. */
  static Path javaPath() {
    return ProcessHandle.current()
        .info()
        .command()
        .map(Path::of)
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
  }
}
