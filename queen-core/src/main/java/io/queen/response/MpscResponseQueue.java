package io.queen.response;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@link ResponseQueue} as a {@link ConcurrentLinkedQueue} for the items plus an {@link
 * AtomicInteger} {@code count} that alone decides "full" and "empty".
 *
 * <p><b>Why the count is the truth.</b> An offer first reserves a slot by moving {@code count} up
 * (by compare-and-set, so it never passes {@code capacity} and a refused offer leaves no trace),
 * then adds the item to the linked queue. A drain polls items first and moves {@code count} down by
 * the number it removed only afterwards. So at every instant {@code count} is at least the number
 * of items in the linked queue: it also covers offers that have reserved but not yet added, and
 * items the current drain has removed but not yet accounted for. Hence:
 *
 * <ul>
 *   <li>The wake-up fires exactly once per empty-to-non-empty transition, because the only way
 *       {@code count} leaves 0 is a successful compare-and-set from 0, and exactly one offer wins
 *       it. That offer runs the hook after its item is in the linked queue, so the drain the hook
 *       schedules finds it.
 *   <li>No item is stranded. {@code count} cannot reach 0 while an item is held or an offer is
 *       half done, and the owner keeps draining until it sees 0; once it has, the next accepted
 *       offer starts from 0 and fires the hook again.
 *   <li>A drain never spins: it returns as soon as the linked queue is empty or {@code limit} is
 *       reached. If a producer has reserved but not yet added, the drain returns what it found
 *       (possibly nothing) and {@link #isEmpty()} stays false, so the owner's "drain until empty"
 *       loop simply comes back; no wake-up is due, as the count never went to 0.
 * </ul>
 *
 * <p>The price of counting this way is that {@link #size()} includes slots whose offer is in
 * flight, and, during a drain, items that drain already removed. An offer may therefore be refused
 * while a drain is running even though the consumer has already been handed some items; it is never
 * accepted beyond {@code capacity}. Moving the count down once per drain rather than once per item
 * is deliberate: offers that arrive during a drain do not fire the hook, the owner picks them up in
 * its "until empty" loop instead, so a busy owner is woken once, not once per item.
 *
 * <p>Happens-before from a producer to the consumer comes from the linked queue itself (an {@code
 * add} happens-before the {@code poll} that returns the element).
 *
 * <p>If the wake-up hook throws (it must not), the exception reaches the offering thread although
 * its item was accepted, and nothing will wake the owner until it drains on its own.
 */
final class MpscResponseQueue<T> implements ResponseQueue<T> {
  private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final int capacity;
  private final Runnable wakeUp;

  MpscResponseQueue(int capacity, Runnable wakeUp) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp");
  }

  @Override
  public boolean offer(T item) {
    Objects.requireNonNull(item, "item");
    int before;
    do {
      before = count.get();
      if (before >= capacity) {
        return false;
      }
    } while (!count.compareAndSet(before, before + 1));
    // The add must come before the hook: the owner may run the moment the hook returns.
    items.add(item);
    if (before == 0) {
      wakeUp.run();
    }
    return true;
  }

  @Override
  public int drain(Consumer<? super T> consumer, int limit) {
    Objects.requireNonNull(consumer, "consumer");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    int removed = 0;
    try {
      while (removed < limit) {
        T item = items.poll();
        if (item == null) {
          // A reserved slot whose item is not added yet, or truly empty; either way stop here.
          break;
        }
        removed++;
        consumer.accept(item);
      }
    } finally {
      // In finally so that an item whose consumer threw is still accounted as gone.
      if (removed > 0) {
        count.addAndGet(-removed);
      }
    }
    return removed;
  }

  @Override
  public int size() {
    return count.get();
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public String toString() {
    return "MpscResponseQueue[size=" + count.get() + ", capacity=" + capacity + "]";
  }
}
