package io.pointdata.udf.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A command line that starts a test main in a new JVM, with this test run's classpath. */
final class JavaCommand {
  private JavaCommand() {}

  static List<String> of(Class<?> main, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Start fast: these JVMs live for a second.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    command.addAll(List.of(args));
    return command;
  }
}
