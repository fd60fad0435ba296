package io.queen.internal;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUIDv7 generator (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter that keeps ids
 * monotonic within a millisecond (borrowing the next millisecond when it overflows), and 62 random
 * bits. Thread-safe; ids from one generator strictly increase.
 */
public final class Uuid7 {
  private final Clock clock;
  private long lastMillis;
  private int counter;

  public Uuid7(Clock clock) {
    this.clock = clock;
  }

  /**
   * The lowest UUIDv7 of millisecond {@code millis} (0 or more), as PostgreSQL orders uuids
   * (bytewise).
   */
  public static UUID floor(long millis) {
    return new UUID(millis << 16, 0L);
  }

  /** The highest UUIDv7 of millisecond {@code millis}, as PostgreSQL orders uuids. */
  public static UUID ceiling(long millis) {
    return new UUID((millis << 16) | 0xFFFFL, -1L);
  }

  public UUID next() {
    long millis;
    int seq;
    synchronized (this) {
      millis = clock.millis();
      if (millis <= lastMillis) {
        millis = lastMillis;
        counter++;
        if (counter > 0xFFF) {
          millis++;
          counter = 0;
        }
      } else {
        counter = 0;
      }
      lastMillis = millis;
      seq = counter;
    }
    long msb = (millis << 16) | 0x7000L | seq;
    long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
