package io.pointdata.udf.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many points through one socket session, watching the agent's memory: resident memory sampled as
 * it runs, and the heap left after each garbage collection (from the agent's GC log). Flat means
 * the heap after GC does not grow from the first tenth of the run to the last.
 */
final class Soak {
  record Sample(long points, long rssBytes) {}

  record Result(long points, double seconds, List<Sample> rss, List<Long> heapAfterGcBytes) {}

  private static final Pattern GC =
      Pattern.compile("Pause.* (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  private final List<String> jvmFlags;
  private final Path workDir;

  Soak(List<String> jvmFlags, Path workDir) {
    this.jvmFlags = jvmFlags;
    this.workDir = workDir;
  }

  Result run(long points) throws Exception {
    Target target = new Target("passthrough", "socket");
    Path gcLog = workDir.resolve("soak-gc.log");
    Files.deleteIfExists(gcLog);
    List<String> flags = new ArrayList<>(jvmFlags);
    flags.add("-Xlog:gc:file=" + gcLog);
    byte[] frames = Samples.frames(Throughput.block());
    long blocks = (points + Throughput.BLOCK_POINTS - 1) / Throughput.BLOCK_POINTS;
    Path socket = workDir.resolve("s.sock");
    List<Sample> samples = new ArrayList<>();
    try (AgentProcess agent = target.spawn(flags, socket, workDir.resolve("agent-soak.log"))) {
      Peer peer = new Peer(Link.connect(socket, Duration.ofSeconds(20)));
      peer.handshake();
      peer.startReader("soak-reader", time -> {});
      Thread writer =
          new Thread(
              () -> {
                try {
                  OutputStream out = peer.output();
                  for (long i = 0; i < blocks; i++) out.write(frames);
                  out.flush();
                  peer.closeOutput();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              "soak-writer");
      long start = System.nanoTime();
      writer.start();
      while (writer.isAlive()) {
        samples.add(new Sample(peer.received(), agent.rssBytes()));
        writer.join(1000);
      }
      peer.awaitEnd(Duration.ofSeconds(60));
      double seconds = (System.nanoTime() - start) / 1e9;
      long sent = blocks * Throughput.BLOCK_POINTS;
      if (peer.received() != sent)
        throw new IOException("sent " + sent + " points, got " + peer.received() + " back");
      peer.close();
      agent.close();
      return new Result(sent, seconds, samples, heapAfterGc(gcLog));
    }
  }

  static List<Long> heapAfterGc(Path gcLog) throws IOException {
    List<Long> after = new ArrayList<>();
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC.matcher(line);
      if (m.find()) after.add(bytes(m.group(3), m.group(4)));
    }
    return after;
  }

  private static long bytes(String number, String unit) {
    long n = Long.parseLong(number);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }
}
