package io.queen.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Many producers, one owner that drains only when woken: the way the server uses the queue. If a
 * wake-up were ever lost the owner would wait forever with items pending, so the timeout is the
 * test of "no stranded item"; the per-producer sequence check is the test of "exactly once, in
 * order".
 */
class ResponseQueueStressTest {
  private static final int PRODUCERS = 4;
  private static final int ITEMS_PER_PRODUCER = 50_000;
  private static final int TOTAL = PRODUCERS * ITEMS_PER_PRODUCER;
  private static final int DRAIN_LIMIT = 64;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_PAUSE_SPINS = 2_000;

  private record Item(int producer, int seq) {}

  private record Outcome(
      int[] nextSeq,
      int received,
      int wakeUps,
      int drainPassesEndingEmptyAfterItems,
      int drainsThatTookItems,
      int refusedOffers,
      String firstViolation,
      int sizeAfter) {}

  @Test
  void every_item_reaches_the_owner_exactly_once_and_in_producer_order() {
    Outcome outcome = assertTimeoutPreemptively(TIMEOUT, () -> run(TOTAL, false));

    assertDeliveredEverythingInOrder(outcome);
    assertThat(outcome.refusedOffers()).isZero();
  }

  @Test
  void the_owner_is_woken_each_time_pausing_producers_refill_a_queue_it_emptied() {
    // Producers that pause now and then let the owner catch up, so the queue keeps going empty and
    // offers keep racing the owner's last drain: the window where a wake-up could be lost.
    Outcome outcome = assertTimeoutPreemptively(TIMEOUT, () -> run(TOTAL, true));

    assertDeliveredEverythingInOrder(outcome);
    assertThat(outcome.drainPassesEndingEmptyAfterItems())
        .as("times the owner drained the queue to empty")
        .isGreaterThan(20);
  }

  @Test
  void nothing_is_lost_when_producers_retry_against_a_small_full_queue() {
    Outcome outcome = assertTimeoutPreemptively(TIMEOUT, () -> run(64, false));

    assertDeliveredEverythingInOrder(outcome);
    // Not guaranteed by scheduling, but with 200k items through 64 slots it is certain in practice,
    // and without it this test would not be testing back-pressure at all.
    assertThat(outcome.refusedOffers()).isPositive();
  }

  private static void assertDeliveredEverythingInOrder(Outcome outcome) {
    assertThat(outcome.firstViolation()).isNull();
    assertThat(outcome.received()).isEqualTo(TOTAL);
    for (int p = 0; p < PRODUCERS; p++) {
      assertThat(outcome.nextSeq()[p])
          .as("items received from producer %d", p)
          .isEqualTo(ITEMS_PER_PRODUCER);
    }
    assertThat(outcome.sizeAfter()).isZero();
    assertThat(outcome.wakeUps()).isBetween(1, TOTAL);
    // Each time the owner saw the queue empty after taking items, any later item needed a fresh
    // empty-to-non-empty transition, hence a wake-up of its own.
    assertThat(outcome.wakeUps())
        .isGreaterThanOrEqualTo(outcome.drainPassesEndingEmptyAfterItems());
    // The queue ends empty, so each wake-up is matched by its own later drain that emptied the
    // queue: never more wake-ups than drains that took something.
    assertThat(outcome.wakeUps()).isLessThanOrEqualTo(outcome.drainsThatTookItems());
  }

  private static Outcome run(int capacity, boolean bursty) throws InterruptedException {
    Semaphore wakeSignal = new Semaphore(0);
    AtomicInteger wakeUps = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicReference<String> violation = new AtomicReference<>();
    AtomicReference<Thread> ownerThread = new AtomicReference<>();

    ResponseQueue<Item> queue =
        ResponseQueue.create(
            capacity,
            () -> {
              if (Thread.currentThread() == ownerThread.get()) {
                violation.compareAndSet(null, "wake-up ran on the owner thread");
              }
              wakeUps.incrementAndGet();
              wakeSignal.release();
            });

    int[] nextSeq = new int[PRODUCERS];
    int[] received = new int[1];
    int[] passesEndingEmpty = new int[1];
    int[] drainsThatTookItems = new int[1];
    Thread owner =
        new Thread(
            () -> {
              try {
                while (received[0] < TOTAL) {
                  wakeSignal.acquire();
                  int taken = 0;
                  do {
                    int n =
                        queue.drain(
                            item -> {
                              if (item.seq() != nextSeq[item.producer()]) {
                                violation.compareAndSet(
                                    null,
                                    "producer "
                                        + item.producer()
                                        + ": expected seq "
                                        + nextSeq[item.producer()]
                                        + ", got "
                                        + item.seq());
                              }
                              nextSeq[item.producer()] = item.seq() + 1;
                              received[0]++;
                            },
                            DRAIN_LIMIT);
                    if (n == 0) {
                      // An offer has reserved its slot but not yet linked its item in.
                      Thread.onSpinWait();
                    } else {
                      drainsThatTookItems[0]++;
                    }
                    taken += n;
                  } while (!queue.isEmpty());
                  if (taken > 0) {
                    passesEndingEmpty[0]++;
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "owner");
    owner.setDaemon(true);
    ownerThread.set(owner);

    CountDownLatch start = new CountDownLatch(1);
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int id = p;
      Thread producer =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int seq = 0; seq < ITEMS_PER_PRODUCER; seq++) {
                  Item item = new Item(id, seq);
                  while (!queue.offer(item)) {
                    refused.incrementAndGet();
                    Thread.onSpinWait();
                  }
                  if (bursty && random.nextInt(16) == 0) {
                    pause(random.nextInt(MAX_PAUSE_SPINS));
                  }
                }
              },
              "producer-" + p);
      producer.setDaemon(true);
      producers.add(producer);
    }

    owner.start();
    producers.forEach(Thread::start);
    start.countDown();
    for (Thread producer : producers) {
      producer.join();
    }
    owner.join();

    // join() gives happens-before for the owner's plain-int bookkeeping.
    return new Outcome(
        nextSeq,
        received[0],
        wakeUps.get(),
        passesEndingEmpty[0],
        drainsThatTookItems[0],
        refused.get(),
        violation.get(),
        queue.size());
  }

  private static void pause(int spins) {
    for (int i = 0; i < spins; i++) {
      Thread.onSpinWait();
    }
  }
}
