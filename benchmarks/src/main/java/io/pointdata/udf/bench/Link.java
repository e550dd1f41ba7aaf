package io.pointdata.udf.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Kapacitor's end of one session: a spawned process's stdin/stdout or one Unix socket connection.
 */
interface Link extends AutoCloseable {
  InputStream input();

  OutputStream output();

  /** Ends Kapacitor's side of the session: closes stdin, or half-closes the socket. */
  void closeOutput() throws IOException;

  @Override
  void close() throws IOException;

  static Link of(Process process) {
    return new Link() {
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
      public void close() throws IOException {
        process.getOutputStream().close();
        process.getInputStream().close();
      }
    };
  }

  /** Connects to the socket, waiting for the server to create it. */
  static Link connect(Path path, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (Files.exists(path))
          return of(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path.toFile())));
      } catch (SocketException notYet) {
        // The file exists before the server listens.
      }
      if (System.nanoTime() > deadline)
        throw new IOException("no server on " + path + " after " + timeout);
      Thread.sleep(10);
    }
  }

  private static Link of(AFUNIXSocket socket) throws IOException {
    InputStream in = socket.getInputStream();
    OutputStream out = socket.getOutputStream();
    return new Link() {
      @Override
      public InputStream input() {
        return in;
      }

      @Override
      public OutputStream output() {
        return out;
      }

      @Override
      public void closeOutput() throws IOException {
        socket.getChannel().shutdownOutput(); // Socket.shutdownOutput() fails on JDK 25
      }

      @Override
      public void close() throws IOException {
        socket.close();
      }
    };
  }
}
