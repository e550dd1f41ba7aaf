package io.pointdata.udf.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The socket file's lifecycle: stale-file removal, permissions, deletion. */
public final class SocketFiles {
  private static final Logger log = LoggerFactory.getLogger(SocketFiles.class);
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IWOTH = 0002;
  private static final int S_ISVTX = 01000;

  private SocketFiles() {}

  /**
   * Removes a socket file left by a dead server. Refuses, with an exception, a path that is not a
   * socket (never removed) or a socket some server still accepts on.
   */
  public static void removeStale(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
    if (!isSocket(path)) {
      throw new FileAlreadyExistsException(
          path.toString(), null, "exists and is not a socket; not removing it");
    }
    try {
      AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path.toFile())).close();
      throw new FileAlreadyExistsException(
          path.toString(), null, "another server is listening on this socket");
    } catch (SocketException refused) {
      // Nobody listens: the file is stale.
    }
    Files.delete(path);
    log.info("removed stale socket file {}", path);
  }

  /**
   * Checks the directory the socket file goes in: it must exist, and if every user may write to it,
   * it must have the sticky bit (as /tmp has), or another user could replace our socket with theirs
   * between start-ups.
   */
  public static void checkDirectory(Path socketPath) throws IOException {
    Path dir = socketPath.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "the socket's directory does not exist");
    }
    int mode = (Integer) Files.getAttribute(dir, "unix:mode");
    if ((mode & S_IWOTH) != 0 && (mode & S_ISVTX) == 0) {
      throw new AccessDeniedException(
          dir.toString(),
          null,
          "the socket's directory is writable by every user and has no sticky bit");
    }
  }

  public static boolean isSocket(Path path) throws IOException {
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return (mode & S_IFMT) == S_IFSOCK;
  }

  public static void setPermissions(Path path, Set<PosixFilePermission> permissions)
      throws IOException {
    Files.setPosixFilePermissions(path, permissions);
  }

  /** Deletes the socket file if it is still a socket. */
  public static void deleteQuietly(Path path) {
    try {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && isSocket(path)) Files.delete(path);
    } catch (IOException e) {
      log.warn("could not remove socket file {}: {}", path, e.getMessage());
    }
  }

  /** Where Linux keeps the largest listen backlog it grants. */
  private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

  /** The backlog when {@link #SOMAXCONN} cannot be read: Linux's default maximum since 5.4. */
  static final int FALLBACK_BACKLOG = 4096;

  /** The kernel's largest listen backlog, as Go's net package listens with. */
  public static int defaultBacklog() {
    // Not Files.readString: it sizes its read by the file's size, which procfs gives as 0.
    try (InputStream in = Files.newInputStream(SOMAXCONN)) {
      int max = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
      return max > 0 ? max : FALLBACK_BACKLOG;
    } catch (IOException | RuntimeException e) {
      return FALLBACK_BACKLOG;
    }
  }
}
