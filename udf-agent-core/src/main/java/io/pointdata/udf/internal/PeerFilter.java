package io.pointdata.udf.internal;

import java.io.IOException;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/** Decides from a socket peer's credentials (SO_PEERCRED) whether it may talk to the UDF. */
public final class PeerFilter {
  private final Set<Long> uids;
  private final Set<Long> gids;

  /** Both empty: everyone the socket file's permissions let in is allowed. */
  public PeerFilter(Set<Long> uids, Set<Long> gids) {
    this.uids = Set.copyOf(uids);
    this.gids = Set.copyOf(gids);
  }

  /** Returns why the peer is refused, or null if it is allowed. */
  public String refusal(AFUNIXSocket socket) {
    if (uids.isEmpty() && gids.isEmpty()) return null;
    AFUNIXSocketCredentials peer;
    try {
      peer = socket.getPeerCredentials();
    } catch (IOException e) {
      return "connection refused: cannot read the peer's credentials (" + e.getMessage() + ")";
    }
    if (peer == null || peer.isEmpty())
      return "connection refused: the peer's credentials are unknown";
    if (uids.contains(peer.getUid()) || gids.contains(peer.getGid())) return null;
    return "connection refused: peer uid "
        + peer.getUid()
        + " gid "
        + peer.getGid()
        + " (pid "
        + peer.getPid()
        + ") is not among the allowed uids "
        + uids
        + " or gids "
        + gids;
  }
}
