package io.queen.internal.wakeup;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Which queues may have been pushed to since a moment, as far as this instance can tell: every
 * push it commits (touched once the attempt is over, whatever its outcome) and every push another
 * instance announces on the push channel. It can tell only while the announcements all reach it:
 * {@code session} is the listener's {@link PushListener#settledSession()}, and a mark taken in one
 * session says nothing once that session has ended. The message browser uses it to keep a quiet
 * queue's partition order instead of sorting every partition per page. Thread-safe; a touch is a
 * counter increment and a map write.
 */
public final class QueueActivity {
  /** Tells nothing: without a listener, other instances' pushes go unheard. */
  public static final LongSupplier DEAF = () -> 0;

  /**
   * A moment to compare later touches with.
   *
   * @param tick the touch count when it was taken
   * @param session the listening session it was taken in (never 0)
   */
  public record Mark(long tick, long session) {}

  private final AtomicLong ticks = new AtomicLong();
  private final ConcurrentHashMap<String, Long> touchedAt = new ConcurrentHashMap<>();
  private final LongSupplier session;

  /** @param session the listener's settled session, 0 while the announcements may be incomplete */
  public QueueActivity(LongSupplier session) {
    this.session = session;
  }

  /** A push to {@code queue} committed, or may have. Any thread. */
  public void touched(String queue) {
    touchedAt.put(queue, ticks.incrementAndGet());
  }

  /** Now, to compare with later; null when this instance cannot tell right now. Any thread. */
  public Mark mark() {
    long s = session.getAsLong();
    return s == 0 ? null : new Mark(ticks.get(), s);
  }

  /**
   * Whether nothing has touched {@code queue} since {@code mark} and every announcement since has
   * reached this instance. Any thread.
   */
  public boolean untouchedSince(String queue, Mark mark) {
    if (mark == null || session.getAsLong() != mark.session()) {
      return false;
    }
    Long at = touchedAt.get(queue);
    return at == null || at <= mark.tick();
  }
}
