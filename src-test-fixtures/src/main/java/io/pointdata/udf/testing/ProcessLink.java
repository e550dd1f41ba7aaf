package io.pointdata.udf.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDF process, started as Kapacitor starts one: the program and its arguments exec'd directly,
 * this JVM's environment plus the given variables. Each stderr line is logged, as Kapacitor logs
 * {@code UDF log}, and the last few are kept for failure messages.
 */
final class ProcessLink implements Link {
  private static final Logger log = LoggerFactory.getLogger(ProcessLink.class);
  private static final int KEPT_STDERR_LINES = 20;

  private final Process process;
  private final String name;
  // Guarded by itself.
  private final Deque<String> stderrTail = new ArrayDeque<>();

  ProcessLink(List<String> command, Map<String, String> env, String name) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    this.process = builder.start();
    this.name = name;
    Thread stderr = new Thread(this::logStderr, "udf-stderr " + name);
    stderr.setDaemon(true);
    stderr.start();
  }

  private void logStderr() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        log.info("UDF log {}: {}", name, line);
        synchronized (stderrTail) {
          if (stderrTail.size() == KEPT_STDERR_LINES) stderrTail.removeFirst();
          stderrTail.addLast(line);
        }
      }
    } catch (IOException e) {
      log.debug("{}: stderr: {}", name, e.getMessage());
    } catch (RuntimeException | Error e) {
      // Unread, the UDF's stderr pipe would fill and block the UDF: say why it may hang.
      log.error("{}: reading the UDF's stderr failed; the UDF may block writing to it", name, e);
    }
  }

  @Override
  public InputStream input() {
    return process.getInputStream();
  }

  @Override
  public OutputStream output() {
    return process.getOutputStream();
  }

  @Override
  public void closeOutput() throws IOException {
    process.getOutputStream().close();
  }

  @Override
  public OptionalInt awaitEnd(Duration wait) throws InterruptedException {
    if (!process.waitFor(wait.toNanos(), TimeUnit.NANOSECONDS)) return null;
    return OptionalInt.of(process.exitValue());
  }

  @Override
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public String diagnostics() {
    synchronized (stderrTail) {
      return stderrTail.isEmpty()
          ? ""
          : "last stderr lines of the UDF:\n  " + String.join("\n  ", stderrTail);
    }
  }
}
