package io.queen.internal.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of a record: {@code magic (4) | length (4) | CRC32C of length and payload (4) |
 * payload}, big-endian. The magic lets a reader find the next frame after damaged bytes; the
 * checksum makes sure that what it finds there is a frame and not garbage that happens to start
 * with the magic. Stateless.
 */
public final class Frames {
  static final int MAGIC = 0x51425546; // "QBUF"
  static final int HEADER = 12;
  /** Larger than any push the server accepts (MAX_BODY_SIZE at most 2 GiB, items re-encoded). */
  static final int MAX_PAYLOAD = 1 << 30;

  private Frames() {}

  static ByteBuffer frame(byte[] payload) {
    var b = ByteBuffer.allocate(HEADER + payload.length);
    b.putInt(MAGIC).putInt(payload.length).putInt(crc(payload.length, payload)).put(payload);
    return b.flip();
  }

  static int crc(int length, byte[] payload) {
    var crc = new CRC32C();
    crc.update(ByteBuffer.allocate(4).putInt(length).flip());
    crc.update(payload);
    return (int) crc.getValue();
  }

  /** One frame read back: where it starts and ends in its segment. */
  public record Frame(long segment, long offset, long end, byte[] payload) {}

  /** What a reader stepped over: bytes that are not a whole, intact frame. */
  record Damage(long segment, long offset, long length) {}

  /**
   * Reads the frame at {@code offset} if an intact one starts there and ends by {@code limit};
   * null otherwise.
   */
  static Frame readAt(FileChannel ch, long segment, long offset, long limit) throws IOException {
    if (offset + HEADER > limit) {
      return null;
    }
    var header = ByteBuffer.allocate(HEADER);
    readFully(ch, header, offset);
    header.flip();
    if (header.getInt() != MAGIC) {
      return null;
    }
    int length = header.getInt();
    int crc = header.getInt();
    if (length < 0 || length > MAX_PAYLOAD || offset + HEADER + length > limit) {
      return null;
    }
    var payload = new byte[length];
    readFully(ch, ByteBuffer.wrap(payload), offset + HEADER);
    if (crc(length, payload) != crc) {
      return null;
    }
    return new Frame(segment, offset, offset + HEADER + length, payload);
  }

  /** The offset of the next intact frame after {@code offset}, or {@code limit} when none. */
  static long nextFrame(FileChannel ch, long segment, long offset, long limit) throws IOException {
    var chunk = ByteBuffer.allocate(64 * 1024);
    long base = offset + 1;
    while (base + 4 <= limit) {
      chunk.clear();
      int want = (int) Math.min(chunk.capacity(), limit - base);
      chunk.limit(want);
      readFully(ch, chunk, base);
      for (int i = 0; i + 4 <= want; i++) {
        if (chunk.getInt(i) == MAGIC && readAt(ch, segment, base + i, limit) != null) {
          return base + i;
        }
      }
      base += Math.max(1, want - 3);
    }
    return limit;
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
    long p = position;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw new IOException("unexpected end of buffer segment at " + p);
      }
      p += n;
    }
  }
}
