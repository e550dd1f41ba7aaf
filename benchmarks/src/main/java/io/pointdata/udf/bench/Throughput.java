package io.pointdata.udf.bench;

import io.pointdata.udf.proto.UdfProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Points per second through a freshly spawned agent, Kapacitor's side pipelined: per session one
 * thread writes while another reads. After a warm-up, the rate, the agent's CPU time per input
 * point and its peak RSS are taken over a fixed interval; at the end every point must come back.
 */
final class Throughput {
  /**
   * How the driver writes: whole blocks of frames, or Kapacitor's two unbuffered writes per frame.
   */
  enum Writes {
    BLOCK,
    KAPACITOR
  }

  record Result(
      Target target,
      int sessions,
      long pointsIn,
      double pointsPerSecond,
      double agentCpuNanosPerPoint,
      double driverCpuNanosPerPoint,
      long peakRssBytes,
      long pointsBack) {}

  static final int BLOCK_POINTS = 1024;
  static final long BASE_TIME = 1_594_927_426_635_557_092L;

  private final Target target;
  private final int sessions;
  private final Writes writes;
  private final List<String> jvmFlags;
  private final Path workDir;

  Throughput(Target target, int sessions, Writes writes, List<String> jvmFlags, Path workDir) {
    if (sessions < 1 || (sessions > 1 && !target.isSocket())) {
      throw new IllegalArgumentException(sessions + " sessions over " + target.transport());
    }
    this.target = target;
    this.sessions = sessions;
    this.writes = writes;
    this.jvmFlags = jvmFlags;
    this.workDir = workDir;
  }

  /** One block of EII points; even ones are cold (19.5) and pass the threshold, odd ones do not. */
  static List<UdfProto.Request> block() {
    List<UdfProto.Request> block = new ArrayList<>();
    for (int i = 0; i < BLOCK_POINTS; i++) {
      block.add(Samples.request(Samples.eiiPoint(BASE_TIME + i, i % 2 == 0 ? 19.5 : 22.0)));
    }
    return block;
  }

  Result run(Duration warmup, Duration measure) throws Exception {
    List<UdfProto.Request> requests = block();
    long backPerBlock =
        requests.stream()
            .filter(r -> target.forwards(r.getPoint().getFieldsDoubleOrThrow("temperature")))
            .count();
    byte[] frames = Samples.frames(requests);
    Path socket = workDir.resolve("t.sock");
    try (AgentProcess agent =
        target.spawn(jvmFlags, socket, workDir.resolve("agent-" + target.udf() + ".log"))) {
      List<Peer> peers = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        Link link =
            target.isSocket()
                ? Link.connect(socket, Duration.ofSeconds(20))
                : Link.of(agent.process());
        Peer peer = new Peer(link);
        if (!target.isEcho()) peer.handshake();
        peer.startReader("reader-" + i, time -> {});
        peers.add(peer);
      }
      AtomicBoolean stop = new AtomicBoolean();
      List<AtomicLong> blocksSent = new ArrayList<>();
      List<Thread> writers = new ArrayList<>();
      for (Peer peer : peers) {
        AtomicLong sent = new AtomicLong();
        blocksSent.add(sent);
        Thread writer = new Thread(() -> writeLoop(peer, frames, requests, stop, sent), "writer");
        writer.setDaemon(true);
        writers.add(writer);
        writer.start();
      }
      Thread.sleep(warmup.toMillis());
      long back0 = totalReceived(peers);
      long cpu0 = agent.cpuNanos();
      long driverCpu0 = driverCpuNanos();
      long t0 = System.nanoTime();
      Thread.sleep(measure.toMillis());
      long back1 = totalReceived(peers);
      long cpu1 = agent.cpuNanos();
      long driverCpu1 = driverCpuNanos();
      long t1 = System.nanoTime();
      long peak = agent.peakRssBytes();
      stop.set(true);
      for (Thread writer : writers) writer.join();
      long expected = 0;
      for (int i = 0; i < peers.size(); i++) {
        peers.get(i).awaitEnd(Duration.ofSeconds(60));
        long want = blocksSent.get(i).get() * backPerBlock;
        if (peers.get(i).received() != want) {
          throw new IOException(
              target
                  + " session "
                  + i
                  + ": sent "
                  + blocksSent.get(i).get() * BLOCK_POINTS
                  + " points, expected "
                  + want
                  + " back, got "
                  + peers.get(i).received());
        }
        expected += want;
        peers.get(i).close();
      }
      if (!target.isSocket()) {
        int status = agent.waitFor(Duration.ofSeconds(30));
        if (status != 0)
          throw new IOException("agent exited with " + status + ": " + agent.logTail());
      }
      double pointsIn = (back1 - back0) / target.forwardedFraction();
      double seconds = (t1 - t0) / 1e9;
      return new Result(
          target,
          sessions,
          (long) pointsIn,
          pointsIn / seconds,
          pointsIn == 0 ? Double.NaN : (cpu1 - cpu0) / pointsIn,
          pointsIn == 0 ? Double.NaN : (driverCpu1 - driverCpu0) / pointsIn,
          peak,
          expected);
    }
  }

  private static long totalReceived(List<Peer> peers) {
    long total = 0;
    for (Peer peer : peers) total += peer.received();
    return total;
  }

  static long driverCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  private void writeLoop(
      Peer peer,
      byte[] frames,
      List<UdfProto.Request> requests,
      AtomicBoolean stop,
      AtomicLong sent) {
    OutputStream out = peer.output();
    try {
      // At least one block, however soon the stop comes.
      if (writes == Writes.BLOCK) {
        do {
          out.write(frames);
          out.flush();
          sent.incrementAndGet();
        } while (!stop.get());
      } else {
        KapacitorWrites frameWriter = new KapacitorWrites(out);
        byte[][] bodies =
            requests.stream().map(UdfProto.Request::toByteArray).toArray(byte[][]::new);
        do {
          for (byte[] body : bodies) frameWriter.write(body);
          sent.incrementAndGet();
        } while (!stop.get());
      }
      peer.closeOutput();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
