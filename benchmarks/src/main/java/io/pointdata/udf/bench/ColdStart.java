package io.pointdata.udf.bench;

import io.pointdata.udf.proto.UdfProto;
import io.pointdata.udf.proto.UdfProto.Request;
import io.pointdata.udf.proto.UdfProto.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A process UDF's start, as Kapacitor sees it: from spawning the JVM until the InfoResponse is read
 * (Kapacitor writes Info at once), then, after Init and an idle pause, the resident memory.
 */
final class ColdStart {
  record Result(
      String name,
      List<String> flags,
      double infoMillis,
      double idleRssMiB,
      List<Double> infoMillisRuns,
      List<Double> idleRssMiBRuns) {}

  private final Path workDir;

  ColdStart(Path workDir) {
    this.workDir = workDir;
  }

  Result measure(String name, List<String> flags, int runs, Duration idle) throws Exception {
    List<Double> info = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      try (AgentProcess agent =
          AgentProcess.start(
              flags,
              AgentMain.class.getName(),
              List.of("threshold"),
              workDir.resolve("coldstart.log"))) {
        Peer peer = new Peer(Link.of(agent.process()));
        OutputStream out = agent.process().getOutputStream();
        Request.newBuilder()
            .setInfo(UdfProto.InfoRequest.getDefaultInstance())
            .build()
            .writeDelimitedTo(out);
        out.flush();
        peer.expect(Response.MessageCase.INFO);
        info.add((System.nanoTime() - agent.startNanos) / 1e6);
        Request.newBuilder()
            .setInit(UdfProto.InitRequest.getDefaultInstance())
            .build()
            .writeDelimitedTo(out);
        out.flush();
        if (!peer.expect(Response.MessageCase.INIT).getInit().getSuccess())
          throw new IOException("Init refused");
        Thread.sleep(idle.toMillis());
        rss.add(agent.rssBytes() / (1024.0 * 1024.0));
        peer.closeOutput();
        int status = agent.waitFor(Duration.ofSeconds(20));
        if (status != 0)
          throw new IOException(name + ": agent exited with " + status + ": " + agent.logTail());
      }
    }
    return new Result(name, flags, Stats.median(info), Stats.median(rss), info, rss);
  }

  /**
   * True if the class path is made of jars only, which class-data sharing of application classes
   * needs.
   */
  static boolean canArchive() {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) return false;
    }
    return true;
  }

  /**
   * Writes an application class-data archive from one Info, Init and EOF session, as a deployment
   * would at install time: {@code -XX:ArchiveClassesAtExit}.
   */
  Path createArchive() throws Exception {
    Path archive = workDir.resolve("udf.jsa");
    Files.deleteIfExists(archive);
    measure("archive", List.of("-XX:ArchiveClassesAtExit=" + archive), 1, Duration.ZERO);
    if (!Files.isRegularFile(archive)) throw new IOException("no archive written at " + archive);
    return archive;
  }
}
