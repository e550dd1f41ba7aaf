package io.pointdata.udf.testing;

import io.pointdata.udf.protocol.Protocol;
import io.pointdata.udf.protocol.UdfHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDF served on a daemon thread over two OS pipes standing for stdin and stdout: the same byte
 * streams a process UDF gets, without starting one. When the peer returns, its streams are closed,
 * as a process's are when it exits.
 */
final class InJvmLink implements Link {
  private static final Logger log = LoggerFactory.getLogger(InJvmLink.class);

  /** Serves one session on a pair of streams, as a UDF process serves its stdin and stdout. */
  @FunctionalInterface
  interface Peer {
    void serve(InputStream in, OutputStream out) throws Exception;
  }

  private final Pipe toUdf;
  private final Pipe fromUdf;
  private final InputStream input;
  private final OutputStream output;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean failed;

  /** Our agent serving the handler; like its process, it ends with status 0 whatever happened. */
  static InJvmLink agent(UdfHandler handler, String name) {
    return new InJvmLink((in, out) -> Protocol.serve(in, out, handler), name);
  }

  InJvmLink(Peer peer, String name) {
    try {
      toUdf = Pipe.open();
      fromUdf = Pipe.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open pipes for the in-JVM UDF", e);
    }
    input = Channels.newInputStream(fromUdf.source());
    output = Channels.newOutputStream(toUdf.sink());
    InputStream udfIn = Channels.newInputStream(toUdf.source());
    OutputStream udfOut = Channels.newOutputStream(fromUdf.sink());
    Thread thread =
        new Thread(
            () -> {
              try {
                peer.serve(udfIn, udfOut);
              } catch (Exception | Error e) {
                failed = true;
                log.warn("in-JVM UDF {} failed", name, e);
              } finally {
                closeQuietly(udfIn);
                closeQuietly(udfOut);
                ended.countDown();
              }
            },
            "in-jvm-udf " + name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public void closeOutput() throws IOException {
    output.close();
  }

  /** 0 when the peer returned, 1 when it threw, as a process would exit. */
  @Override
  public OptionalInt awaitEnd(Duration wait) throws InterruptedException {
    if (!ended.await(wait.toNanos(), TimeUnit.NANOSECONDS)) return null;
    return OptionalInt.of(failed ? 1 : 0);
  }

  @Override
  public void kill() {
    closeQuietly(toUdf.sink());
    closeQuietly(toUdf.source());
    closeQuietly(fromUdf.sink());
    closeQuietly(fromUdf.source());
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Ending anyway: nothing more to do.
    }
  }
}
