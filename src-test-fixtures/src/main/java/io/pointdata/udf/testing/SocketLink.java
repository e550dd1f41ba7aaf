package io.pointdata.udf.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a socket UDF, dialled as Kapacitor dials: a missing socket file or a refused
 * connection is retried with exponential backoff (×1.5, ±50% jitter, at most 60 s apart) until the
 * retry budget is spent.
 */
final class SocketLink implements Link {
  private static final Logger log = LoggerFactory.getLogger(SocketLink.class);
  private static final long MAX_INTERVAL_NANOS = Duration.ofSeconds(60).toNanos();

  private final AFUNIXSocket socket;
  private final InputStream input;
  private final OutputStream output;

  private SocketLink(AFUNIXSocket socket) throws IOException {
    this.socket = socket;
    this.input = socket.getInputStream();
    this.output = socket.getOutputStream();
  }

  /**
   * Connects, retrying while the budget lasts.
   *
   * @throws IOException the last connect error once the budget is spent, naming the path
   */
  static SocketLink connect(Path path, Duration firstRetry, Duration budget) throws IOException {
    long deadline = System.nanoTime() + budget.toNanos();
    double interval = firstRetry.toNanos();
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        return new SocketLink(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path.toFile())));
      } catch (IOException e) {
        long jittered = (long) (interval * (0.5 + ThreadLocalRandom.current().nextDouble()));
        if (System.nanoTime() + jittered > deadline) {
          throw new IOException(
              "dial unix "
                  + path
                  + ": "
                  + e.getMessage()
                  + " (gave up after "
                  + attempts
                  + " attempts in "
                  + budget
                  + ")",
              e);
        }
        log.debug(
            "dial unix {}: {}; retrying in {} ms", path, e.getMessage(), jittered / 1_000_000);
        sleep(jittered);
        interval = Math.min(interval * 1.5, MAX_INTERVAL_NANOS);
      }
    }
  }

  private static void sleep(long nanos) throws IOException {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting to retry", e);
    }
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
    // Through the channel: from JDK 25 on, Socket.shutdownOutput() checks a connected flag that
    // only
    // java.net's own connect sets, so it refuses every junixsocket socket as "not connected".
    if (!socket.isClosed()) socket.getChannel().shutdownOutput();
  }

  /** A socket has no exit status: once its output reached EOF, it has ended. */
  @Override
  public OptionalInt awaitEnd(Duration wait) {
    kill();
    return OptionalInt.empty();
  }

  @Override
  public void kill() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing the socket: {}", e.getMessage());
    }
  }
}
