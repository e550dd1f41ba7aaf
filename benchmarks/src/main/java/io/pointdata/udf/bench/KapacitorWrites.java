package io.pointdata.udf.bench;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a frame as Kapacitor's Go code does: the length, then the body, each its own unbuffered
 * write.
 */
final class KapacitorWrites {
  private final OutputStream out;
  private final byte[] header = new byte[5];

  KapacitorWrites(OutputStream out) {
    this.out = out;
  }

  void write(byte[] body) throws IOException {
    int n = 0;
    int length = body.length;
    while (length >= 0x80) {
      header[n++] = (byte) (length | 0x80);
      length >>>= 7;
    }
    header[n++] = (byte) length;
    out.write(header, 0, n);
    out.flush();
    out.write(body);
    out.flush();
  }
}
