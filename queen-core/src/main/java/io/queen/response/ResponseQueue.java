package io.queen.response;

import java.util.function.Consumer;

/**
 * A bounded multi-producer, single-consumer hand-off queue with an empty-to-non-empty wake-up: the
 * structure through which results cross from Queen's threads to the one thread that owns them (in
 * the server, an IO thread that owns the HTTP exchanges).
 *
 * <p><b>Threads.</b> {@link #offer} may be called by any thread, concurrently. {@link #drain} may
 * be called only by the owner thread (one thread at a time, ever the same in practice); it never
 * runs concurrently with itself. {@link #size()} and {@link #isEmpty()} may be called by any thread
 * and are estimates for other threads than the owner.
 *
 * <p><b>Wake-up.</b> The hook given at creation runs on the offering thread exactly once per
 * transition of the queue from empty to non-empty, that is, when an {@code offer} finds the queue
 * empty. It must be cheap and must not throw (in the server it schedules the owner's drain task on
 * the IO thread). After a wake-up the owner must keep draining until {@code drain} leaves the queue
 * empty (it may return to its event loop in between, as long as it re-schedules itself); only the
 * next offer after that sees an empty queue and fires the hook again.
 *
 * <p><b>Memory ordering.</b> Everything a producer did before {@code offer(item)} happens-before
 * the owner's consumer receiving {@code item}.
 *
 * @param <T> the element type
 */
public interface ResponseQueue<T> {

  /**
   * Adds an item. Any thread. When the queue was empty, runs the wake-up hook on this thread
   * before returning.
   *
   * @param item the item; not null
   * @return true when the item was added; false, with nothing added, when the queue holds {@link #capacity()} items already
   * @throws NullPointerException if item is null
   */
  boolean offer(T item);

  /**
   * Removes up to {@code limit} items, oldest first, and passes each to {@code consumer}. Owner
   * thread only. An exception thrown by the consumer is propagated after the item it was thrown
   * for is removed (so one bad item cannot wedge the queue).
   *
   * @param consumer receives each item removed, on the owner thread
   * @param limit the most items to remove, 0 or more
   * @return how many items were removed (0 when the queue was empty)
   * @throws IllegalArgumentException when {@code limit} is negative
   */
  int drain(Consumer<? super T> consumer, int limit);

  /**
   * Items currently held; exact on the owner thread outside {@link #drain}, an estimate elsewhere.
   * An accepted offer may count a moment before its item can be drained, so a non-empty queue can
   * yield nothing to one drain; the owner's next drain gets it. Any thread.
   *
   * @return the number of items held, from 0 to {@link #capacity()}
   */
  int size();

  /**
   * Whether no item is held; the same estimate as {@link #size()}. Any thread.
   *
   * @return true when {@link #size()} is 0
   */
  default boolean isEmpty() {
    return size() == 0;
  }

  /**
   * The most items the queue holds. Any thread.
   *
   * @return the capacity given at creation
   */
  int capacity();

  /**
   * A lock-free queue for many producers and one owner.
   *
   * @param <T> the element type
   * @param capacity the most items held at once, at least 1
   * @param wakeUp runs on the offering thread when an offer finds the queue empty
   * @return a new, empty queue
   * @throws IllegalArgumentException when {@code capacity} is below 1
   */
  static <T> ResponseQueue<T> create(int capacity, Runnable wakeUp) {
    return new MpscResponseQueue<>(capacity, wakeUp);
  }
}
