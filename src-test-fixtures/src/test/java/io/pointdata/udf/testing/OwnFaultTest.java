package io.pointdata.udf.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A failure of the fake Kapacitor's own side is reported as its own, never blamed on the UDF. */
class OwnFaultTest {

  @Test
  void anInputThatCannotBeClosedIsThisSidesFaultNotTheUdfs() {
    UdfTarget target =
        new UdfTarget() {
          @Override
          Link open(String name, Duration firstRetry, Duration retryBudget) {
            return new CannotHalfClose(InJvmLink.agent(Protocol.handler(new Threshold()), name));
          }

          @Override
          public String toString() {
            return "an in-JVM UDF behind a link that cannot half-close";
          }
        };
    try (KapacitorSimulator kapacitor =
        KapacitorSimulator.builder(target).exitWait(Duration.ofSeconds(1)).build()) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, kapacitor::startup);
      assertTrue(e.getMessage().contains("a fault of this side, not the UDF's"), e.getMessage());
      assertTrue(e.getMessage().contains("Socket is not connected"), e.getMessage());
    }
  }

  /** Fails the half-close as java.net.Socket on JDK 25 failed it for a junixsocket socket. */
  private record CannotHalfClose(Link inner) implements Link {
    @Override
    public InputStream input() {
      return inner.input();
    }

    @Override
    public OutputStream output() {
      return inner.output();
    }

    @Override
    public void closeOutput() throws IOException {
      throw new SocketException("Socket is not connected");
    }

    @Override
    public OptionalInt awaitEnd(Duration wait) throws InterruptedException {
      return inner.awaitEnd(wait);
    }

    @Override
    public void kill() {
      inner.kill();
    }
  }
}
