package io.pointdata.udf.bench;

import java.io.InputStream;

/**
 * Replays the same bytes forever, so a reader never sees EOF; reads return at most {@code chunk}
 * bytes.
 */
final class LoopingInputStream extends InputStream {
  private final byte[] data;
  private final int chunk;
  private int pos;

  LoopingInputStream(byte[] data, int chunk) {
    if (data.length == 0) throw new IllegalArgumentException("no data to loop over");
    this.data = data;
    this.chunk = chunk;
  }

  @Override
  public int read() {
    int b = data[pos] & 0xff;
    pos = (pos + 1) % data.length;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    int n = Math.min(Math.min(len, chunk), data.length - pos);
    System.arraycopy(data, pos, b, off, n);
    pos = (pos + n) % data.length;
    return n;
  }
}
