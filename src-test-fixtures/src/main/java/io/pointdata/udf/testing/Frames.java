package io.pointdata.udf.testing;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Kapacitor's framing (udf/agent/io.go): an unsigned varint length, then the message.
 *
 * <p>Written on purpose apart from the agent's codec, so that the simulator checks the agent rather
 * than sharing its mistakes. Like Kapacitor, a frame is written with two writes (header, then
 * body), so a reader that assumes one read returns one frame is caught.
 */
final class Frames {
  /** The longest uvarint Go's binary.ReadUvarint accepts. */
  private static final int MAX_HEADER_BYTES = 10;

  private Frames() {}

  /** Writes one frame as Kapacitor does: the header and the body in two writes, each flushed. */
  static void write(OutputStream out, byte[] body) throws IOException {
    byte[] header = new byte[CodedOutputStream.computeUInt32SizeNoTag(body.length)];
    CodedOutputStream coded = CodedOutputStream.newInstance(header);
    coded.writeUInt32NoTag(body.length);
    coded.checkNoSpaceLeft();
    out.write(header);
    out.flush();
    out.write(body);
    out.flush();
  }

  static void write(OutputStream out, MessageLite message) throws IOException {
    write(out, message.toByteArray());
  }

  /**
   * Reads one frame's body; null at EOF before a frame starts (a clean end).
   *
   * @throws EOFException with Go's wording when the input ends inside a frame
   */
  static byte[] read(InputStream in) throws IOException {
    long length = 0;
    for (int i = 0; ; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) return null;
        throw new EOFException("unexpected EOF in a frame's length");
      }
      if (i == MAX_HEADER_BYTES - 1 && b > 1)
        throw new IOException("binary: varint overflows a 64-bit integer");
      length |= (long) (b & 0x7f) << (7 * i);
      if (b < 0x80) break;
    }
    if (length > Integer.MAX_VALUE - 8)
      throw new IOException("frame of " + length + " bytes is too large");
    byte[] body = new byte[(int) length];
    int read = 0;
    while (read < body.length) {
      int n = in.read(body, read, body.length - read);
      if (n < 0)
        throw new EOFException("unexpected EOF, expected " + (body.length - read) + " more bytes");
      read += n;
    }
    return body;
  }
}
