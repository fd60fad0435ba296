package io.queen.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A consumer started by {@link QueueBuilder#consume} or {@link QueueBuilder#consumeBatch}: threads
 * that pop, hand messages to the handler and ack them by its outcome, until closed.
 *
 * <p>Threads: {@code concurrency} threads named {@code queen-client-consumer-<queue>-N} (N from 1)
 * each loop on pop, handle, ack, with blocking requests. The handler runs on them; nothing else
 * does. With lease renewal, the thread {@code queen-client-lease-renewal-N} extends the lease of
 * each batch being handled. Every method here may be called from any thread.
 *
 * <p>Failure: a failed pop (server away, 5xx) is retried after a second; a 4xx answer to a pop
 * (401, 403, a setting the server refuses) stops the consumer and fails {@link #completion()}. A
 * handler exception is not a consumer failure: the message is acked as failed and redelivered by
 * the server until the queue's retry limit, then dead-lettered. An ack that fails is counted in
 * {@link #ackFailures()}; its messages come back when their lease expires.
 */
public final class RunningConsumer implements AutoCloseable {
  /** How long {@link #close()} waits for running handlers and their acks. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final QueenClient client;
  private final QueueBuilder source;
  private final String name;
  private final MessageHandler each;
  private final BatchHandler whole;
  private final boolean ack;
  private final boolean waiting;
  private final long renewIntervalMillis;
  private final int renewSeconds;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReferenceArray<CompletableFuture<?>> pops;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CompletableFuture<Void> completion = new CompletableFuture<>();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong ackFailures = new AtomicLong();
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicLong running;

  RunningConsumer(QueenClient client, QueueBuilder source, String name, int concurrency, MessageHandler each,
      BatchHandler whole, boolean ack, boolean waiting, long renewIntervalMillis, int renewSeconds) {
    this.client = client;
    this.source = source;
    this.name = name;
    this.each = each;
    this.whole = whole;
    this.ack = ack;
    this.waiting = waiting;
    this.renewIntervalMillis = renewIntervalMillis;
    this.renewSeconds = renewSeconds;
    this.pops = new AtomicReferenceArray<>(concurrency);
    this.running = new AtomicLong(concurrency);
    for (int i = 0; i < concurrency; i++) {
      int slot = i;
      var t = new Thread(() -> run(slot), "queen-client-consumer-" + name + "-" + (i + 1));
      t.setDaemon(true);
      threads.add(t);
    }
  }

  void start() {
    client.register(this);
    threads.forEach(Thread::start);
  }

  private void run(int slot) {
    try {
      while (stop.getCount() > 0) {
        var f = source.popRequest(waiting, false);
        pops.set(slot, f);
        if (stop.getCount() == 0) {
          f.cancel(true);
        }
        List<Message> batch;
        try {
          batch = f.get();
        } catch (CancellationException e) {
          break;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof QueenClientException q && q.status() >= 400 && q.status() < 500
              && q.status() != 408 && q.status() != 429) {
            completion.completeExceptionally(q);
            stop.countDown();
            break;
          }
          stop.await(1, TimeUnit.SECONDS); // the server is away: try again in a second, or stop
          continue;
        } finally {
          pops.set(slot, null);
        }
        if (batch.isEmpty()) {
          if (!waiting) {
            stop.await(100, TimeUnit.MILLISECONDS);
          }
          continue;
        }
        handle(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      completion.completeExceptionally(e);
      stop.countDown();
    } finally {
      if (running.decrementAndGet() == 0) {
        client.unregister(this);
        completion.complete(null);
      }
    }
  }

  private void handle(List<Message> batch) {
    ScheduledFuture<?> renewal = null;
    if (renewIntervalMillis > 0) {
      var leases = new LinkedHashSet<String>();
      batch.forEach(m -> {
        if (m.leaseId() != null && !m.leaseId().isEmpty()) {
          leases.add(m.leaseId());
        }
      });
      if (!leases.isEmpty()) {
        renewal = client.renewals().scheduleAtFixedRate(() -> {
          for (var lease : leases) {
            client.renewAsync(lease, renewSeconds).thenAccept(r -> renewals.incrementAndGet());
          }
        }, renewIntervalMillis, renewIntervalMillis, TimeUnit.MILLISECONDS);
      }
    }
    var statuses = new ArrayList<AckStatus>();
    var errors = new ArrayList<String>();
    try {
      if (each != null) {
        for (var m : batch) {
          try {
            each.handle(m);
            statuses.add(AckStatus.COMPLETED);
            errors.add(null);
          } catch (Exception e) {
            failed.incrementAndGet();
            statuses.add(AckStatus.FAILED);
            errors.add(describe(e));
          }
          handled.incrementAndGet();
        }
      } else {
        AckStatus outcome = AckStatus.COMPLETED;
        String error = null;
        try {
          whole.handle(batch);
        } catch (Exception e) {
          failed.addAndGet(batch.size());
          outcome = AckStatus.FAILED;
          error = describe(e);
        }
        handled.addAndGet(batch.size());
        for (int i = 0; i < batch.size(); i++) {
          statuses.add(outcome);
          errors.add(error);
        }
      }
    } finally {
      if (renewal != null) {
        renewal.cancel(false);
      }
    }
    if (!ack) {
      return;
    }
    try {
      var results = Wire.await(client.ackBatchAsync(batch, statuses, errors));
      results.forEach(r -> {
        if (!r.success()) {
          ackFailures.incrementAndGet();
        }
      });
    } catch (QueenClientException e) {
      ackFailures.addAndGet(batch.size());
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
  }

  /**
   * Messages handed to the handler so far.
   *
   * @return the count
   */
  public long handled() {
    return handled.get();
  }

  /**
   * Messages whose handler threw (each counted once per delivery).
   *
   * @return the count
   */
  public long failed() {
    return failed.get();
  }

  /**
   * Acks the server refused or that could not be sent.
   *
   * @return the count
   */
  public long ackFailures() {
    return ackFailures.get();
  }

  /**
   * Lease extensions the server answered (successful or not).
   *
   * @return the count
   */
  public long leaseRenewals() {
    return renewals.get();
  }

  /**
   * Whether the consumer threads still run.
   *
   * @return false once closed or stopped by an error
   */
  public boolean isRunning() {
    return !completion.isDone();
  }

  /**
   * Completes when every consumer thread has ended: normally after {@link #close()}, exceptionally
   * (with the {@link QueenClientException}) when a pop was refused for good. Completed on the last
   * consumer thread to end.
   *
   * @return the future
   */
  public CompletableFuture<Void> completion() {
    return completion;
  }

  /**
   * Stops: waiting pops are cancelled (the server releases what it had leased for them), running
   * handlers finish and their batches are acked; waits up to {@link #DEFAULT_CLOSE_TIMEOUT}.
   * Idempotent; any thread but a consumer thread's own handler, which would wait for itself.
   */
  @Override
  public void close() {
    close(DEFAULT_CLOSE_TIMEOUT);
  }

  /**
   * As {@link #close()}, waiting at most {@code timeout}.
   *
   * @param timeout how long to wait for the threads
   * @return true when every thread ended in time
   */
  public boolean close(Duration timeout) {
    stop.countDown();
    for (int i = 0; i < pops.length(); i++) {
      var f = pops.get(i);
      if (f != null) {
        f.cancel(true);
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (var t : threads) {
        if (t == Thread.currentThread()) {
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }

  @Override
  public String toString() {
    return "RunningConsumer[" + name + ", threads=" + threads.size() + ", handled=" + handled + "]";
  }
}
