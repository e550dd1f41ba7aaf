package io.pointdata.udf.bench;

import java.io.OutputStream;

/** Discards bytes, counting them so the work that produced them cannot be optimised away. */
final class NullOutputStream extends OutputStream {
  long bytes;

  @Override
  public void write(int b) {
    bytes++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    bytes += len;
  }
}
