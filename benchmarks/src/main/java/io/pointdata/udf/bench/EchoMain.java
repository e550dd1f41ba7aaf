package io.pointdata.udf.bench;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The transport's limit: copies every byte it reads straight back, without decoding a frame. {@code
 * EchoMain} echoes stdin to stdout; {@code EchoMain --socket PATH} echoes each connection.
 */
public final class EchoMain {
  private EchoMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      echo(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    } else if (args.length == 2 && args[0].equals("--socket")) {
      serve(Path.of(args[1]));
    } else {
      throw new IllegalArgumentException("usage: [--socket PATH]");
    }
  }

  private static void serve(Path path) throws IOException {
    Files.deleteIfExists(path);
    AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
    server.bind(AFUNIXSocketAddress.of(path.toFile()));
    while (true) {
      AFUNIXSocket socket = server.accept();
      Thread thread = new Thread(() -> echoSocket(socket), "echo");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private static void echoSocket(AFUNIXSocket socket) {
    try (socket) {
      echo(socket.getInputStream(), socket.getOutputStream());
      socket.getChannel().shutdownOutput(); // Socket.shutdownOutput() fails on JDK 25
    } catch (IOException e) {
      System.err.println("echo: " + e);
    }
  }

  /** Copies until EOF; one read, one write: the fewest syscalls a byte can cost. */
  static void echo(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) > 0) out.write(buffer, 0, n);
    out.flush();
  }
}
