package io.pointdata.udf.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What idle sessions cost a socket UDF: starts the agent command given, opens sessions that each
 * ask Info and then wait (as Kapacitor's task connections do between points), and after each step
 * prints the live heap after a full collection ({@code jcmd GC.run}, {@code GC.heap_info}) and the
 * threads. Stops at the first session not answered with Info, and says why.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.pointdata.udf.bench.IdleSessions SOCKET STEP MAX -- \
 *     java -XX:+UseSerialGC -Xmn24m -Xmx64m -jar udf-examples/target/udf-examples.jar temperature --socket SOCKET
 * }</pre>
 */
public final class IdleSessions {
  private static final byte[] INFO = {0x02, 0x0a, 0x00};
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private IdleSessions() {}

  public static void main(String[] args) throws Exception {
    Path socket = Path.of(args[0]);
    int step = Integer.parseInt(args[1]);
    int max = Integer.parseInt(args[2]);
    List<String> command = List.of(args).subList(4, args.length);
    Process agent =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<SocketChannel> sessions = new ArrayList<>();
    try {
      for (int i = 0; i < 600 && !Files.exists(socket); i++) Thread.sleep(100);
      Thread.sleep(500);
      report(agent, 0);
      while (sessions.size() < max) {
        for (int i = 0; i < step; i++) {
          SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
          channel.connect(UnixDomainSocketAddress.of(socket));
          sessions.add(channel);
          try {
            channel.write(ByteBuffer.wrap(INFO));
          } catch (IOException refused) {
            // A refused connection is answered and closed at once, maybe before this write.
          }
          String answer = answer(channel);
          if (!answer.equals("info")) {
            System.out.printf("session %d: %s%n", sessions.size(), answer);
            report(agent, sessions.size() - 1);
            return;
          }
        }
        report(agent, sessions.size());
      }
    } finally {
      for (SocketChannel s : sessions) s.close();
      agent.destroy();
    }
  }

  /** "info", or what came instead. */
  private static String answer(SocketChannel channel) throws IOException {
    InputStream in = Channels.newInputStream(channel);
    int length = in.read();
    if (length < 0) return "closed without an answer";
    byte[] body = in.readNBytes(length & 0x7f);
    if (body.length > 0 && body[0] == 0x0a) return "info";
    return "answered " + new String(body, StandardCharsets.UTF_8).replaceAll("[^ -~]", ".");
  }

  private static void report(Process agent, int sessions) throws Exception {
    String pid = Long.toString(agent.pid());
    run("jcmd", pid, "GC.run");
    String heap = run("jcmd", pid, "GC.heap_info");
    long usedKiB = 0;
    Matcher m = USED.matcher(heap);
    // The young and old generations' lines; the metaspace lines follow and are not heap.
    for (int i = 0; i < 2 && m.find(); i++) usedKiB += Long.parseLong(m.group(1));
    long threads;
    try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
      threads = tasks.count();
    }
    System.out.printf(
        "sessions %5d  heap used %7.1f MiB  threads %5d%n", sessions, usedKiB / 1024.0, threads);
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
