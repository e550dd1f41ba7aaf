package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pointdata.udf.proto.UdfProto.Response.MessageCase;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may reach a socket UDF: the directory, the file, and the peer's credentials. */
class SocketSecurityTest {
  @TempDir Path dir;
  private UdfServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private static long ourUid() throws Exception {
    return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
  }

  private UdfServer.Builder builder() {
    return UdfServer.builder(dir.resolve("s.sock")).udf(UdfServerTest.Counter::new);
  }

  @Test
  void peerRunningAsAnAllowedUserIsServed() throws Exception {
    server = builder().allowedUids(ourUid()).build().start();
    try (AgentWire wire = AgentWire.connect(server.path())) {
      assertEquals(MessageCase.INFO, wire.info().take().getMessageCase());
    }
  }

  @Test
  void peerRunningAsAnotherUserIsRefusedWithTheReason() throws Exception {
    long other = ourUid() + 4242;
    server = builder().allowedUids(other).build().start();
    try (AgentWire wire = AgentWire.connect(server.path())) {
      String error = wire.info().take(MessageCase.ERROR).getError().getError();
      assertTrue(
          error.startsWith(
              "error processing request of type info: connection refused: peer uid " + ourUid()),
          error);
      assertTrue(error.contains("is not among the allowed uids [" + other + "]"), error);
      assertTrue(wire.takeUntilEof().isEmpty(), "the refused connection is closed");
    }
  }

  @Test
  void peerInAnAllowedGroupIsServed() throws Exception {
    long gid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:gid")).longValue();
    server = builder().allowedUids(ourUid() + 4242).allowedGids(gid).build().start();
    try (AgentWire wire = AgentWire.connect(server.path())) {
      assertEquals(MessageCase.INFO, wire.info().take().getMessageCase());
    }
  }

  @Test
  void directoryEveryoneMayWriteWithoutStickyBitIsRefused() throws Exception {
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    UdfServer unsafe =
        UdfServer.builder(open.resolve("s.sock")).udf(UdfServerTest.Counter::new).build();
    AccessDeniedException e = assertThrows(AccessDeniedException.class, unsafe::start);
    assertTrue(
        e.getMessage().contains("writable by every user and has no sticky bit"), e.getMessage());
  }

  @Test
  void stickyDirectoryLikeTmpIsAccepted() throws Exception {
    Path sticky = Files.createDirectory(dir.resolve("sticky"));
    Process chmod = new ProcessBuilder("chmod", "1777", sticky.toString()).start();
    assertEquals(0, chmod.waitFor());
    server =
        UdfServer.builder(sticky.resolve("s.sock")).udf(UdfServerTest.Counter::new).build().start();
    try (AgentWire wire = AgentWire.connect(server.path())) {
      assertEquals(MessageCase.INFO, wire.info().take().getMessageCase());
    }
  }

  @Test
  void missingDirectoryIsReportedAsSuch() {
    UdfServer nowhere =
        UdfServer.builder(dir.resolve("no/such/s.sock")).udf(UdfServerTest.Counter::new).build();
    NoSuchFileException e = assertThrows(NoSuchFileException.class, nowhere::start);
    assertTrue(e.getMessage().contains("the socket's directory does not exist"), e.getMessage());
  }
}
