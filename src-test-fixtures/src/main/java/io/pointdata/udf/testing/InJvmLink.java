package io.pointdata.udf.testing;

import io.pointdata.udf.UdfAgent;
import io.pointdata.udf.UdfHandler;
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

/**
 * Our agent serving a handler on a daemon thread, over two OS pipes standing for stdin and stdout:
 * the same byte streams a process UDF gets, without starting one.
 */
final class InJvmLink implements Link {
  private final Pipe toUdf;
  private final Pipe fromUdf;
  private final InputStream input;
  private final OutputStream output;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean clean;

  InJvmLink(UdfHandler handler, String name) {
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
                clean = UdfAgent.serve(udfIn, udfOut, handler);
              } finally {
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

  /** 0 when the agent ended cleanly at end of input, 1 otherwise, as a process would exit. */
  @Override
  public OptionalInt awaitEnd(Duration wait) throws InterruptedException {
    if (!ended.await(wait.toNanos(), TimeUnit.NANOSECONDS)) return null;
    return OptionalInt.of(clean ? 0 : 1);
  }

  @Override
  public void kill() {
    closeQuietly(toUdf.sink());
    closeQuietly(toUdf.source());
    closeQuietly(fromUdf.sink());
    closeQuietly(fromUdf.source());
  }

  private static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Forced end: nothing more to do.
    }
  }
}
