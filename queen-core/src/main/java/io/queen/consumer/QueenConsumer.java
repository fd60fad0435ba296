package io.queen.consumer;

import io.queen.QueueManager;
import io.queen.error.OverloadedException;
import io.queen.error.ShutdownException;
import io.queen.internal.concurrent.NamedThreadFactory;
import io.queen.internal.ops.Validation;
import io.queen.model.AckItem;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.tracing.QueenTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MessageHandler} over a queue (or one partition of it) for a consumer group, with a
 * given number of consumer threads, each long-polling a batch at a time. Every message handled is
 * acked by its outcome; leases of batches still being handled are renewed when renewal is on.
 *
 * <pre>{@code
 * try (var consumer = QueenConsumer.builder(queen, "orders")
 *     .consumerGroup("billing").concurrency(4).batch(10)
 *     .handler(m -> bill(m.payloadJson()))
 *     .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Threads: {@code concurrency} threads named {@code queen-consumer-<queue>-N} call the handler;
 * one {@code queen-consumer-renew} thread extends leases. {@link #close()} may be called from any
 * thread except a consumer thread.
 */
public final class QueenConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueenConsumer.class);

  private final QueueManager queen;
  private final PopRequest request;
  private final MessageHandler handler;
  private final QueenTracing tracing;
  private final Duration renewEvery;
  private final int renewSeconds;
  private final Duration stopTimeout;
  private final List<Thread> threads = new ArrayList<>();
  private final List<AtomicReference<CompletableFuture<PopResult>>> pendingPops = new ArrayList<>();
  private final ScheduledExecutorService renewer;
  private final CountDownLatch stopped;
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean running = true;

  private QueenConsumer(Builder b) {
    this.queen = b.queen;
    this.tracing = b.queen.tracing();
    this.handler = b.handler;
    this.renewEvery = b.renewEvery;
    this.renewSeconds = b.renewSeconds;
    this.stopTimeout = b.stopTimeout;
    this.request = PopRequest.fromQueue(b.queue).partition(b.partition)
        .consumerGroup(b.consumerGroup).batch(b.batch).wait(b.waitTimeout).build();
    this.renewer = renewEvery == null ? null
        : Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("queen-consumer-renew"));
    this.stopped = new CountDownLatch(b.concurrency);
    var factory = new NamedThreadFactory("queen-consumer-" + b.queue);
    for (int i = 0; i < b.concurrency; i++) {
      var pending = new AtomicReference<CompletableFuture<PopResult>>();
      pendingPops.add(pending);
      threads.add(factory.newThread(() -> loop(pending)));
    }
  }

  /**
   * A builder for a consumer of {@code queue} on {@code queen}.
   *
   * @param queen the manager to pop and ack through (and whose tracing the handler runs in); not
   *     null
   * @param queue the queue to consume; not null
   * @return a builder with the defaults: queue mode, any partition, one thread, batches of 1, a
   *     30 s wait, no lease renewal, a 30 s stop timeout, no handler yet
   * @throws NullPointerException when {@code queen} or {@code queue} is null
   */
  public static Builder builder(QueueManager queen, String queue) {
    return new Builder(queen, queue);
  }

  private void loop(AtomicReference<CompletableFuture<PopResult>> pending) {
    try {
      while (running) {
        PopResult result;
        try {
          var future = queen.pop(request);
          pending.set(future);
          if (!running) {
            future.cancel(false);
          }
          result = future.join();
        } catch (CancellationException e) {
          break;
        } catch (RuntimeException e) {
          if (!running || e.getCause() instanceof ShutdownException) {
            break;
          }
          var pause = e.getCause() instanceof OverloadedException
              ? ((OverloadedException) e.getCause()).retryAfter() : Duration.ofSeconds(1);
          LOG.warn("pop from {} failed ({}); retrying in {} ms", request.queue(), e.getMessage(),
              pause.toMillis());
          sleep(pause);
          continue;
        } finally {
          pending.set(null);
        }
        if (!result.isEmpty()) {
          handleBatch(result);
        }
      }
    } finally {
      stopped.countDown();
    }
  }

  private void handleBatch(PopResult result) {
    var renewal = renewer == null || result.leaseId() == null || result.leaseId().isEmpty() ? null
        : renewer.scheduleAtFixedRate(() -> renew(result.leaseId()), renewEvery.toMillis(),
            renewEvery.toMillis(), TimeUnit.MILLISECONDS);
    var acks = new ArrayList<AckItem>(result.messages().size());
    try {
      for (Message m : result.messages()) {
        try (var span = tracing.startProcess(m)) {
          try {
            handler.handle(m);
          } catch (Exception e) {
            span.failed(e);
            throw e;
          }
          handled.incrementAndGet();
          acks.add(AckItem.completed(m));
        } catch (Exception e) {
          failed.incrementAndGet();
          LOG.warn("handler failed on {} / {} message {} (transaction {}), attempt {}; it will be "
              + "retried or dead-lettered by the queue's rules", m.queue(), m.partition(),
              m.id(), m.transactionId(), m.retryCount() + 1, e);
          acks.add(AckItem.failed(m, errorText(e)));
        }
      }
    } finally {
      if (renewal != null) {
        renewal.cancel(false);
      }
    }
    try {
      queen.ackSync(acks);
    } catch (RuntimeException e) {
      // The lease will expire and the batch be redelivered: at-least-once holds.
      LOG.warn("acking {} message(s) from {} failed: {}", acks.size(), request.queue(), e.getMessage());
    }
  }

  private void renew(String leaseId) {
    queen.extendLease(leaseId, renewSeconds).whenComplete((r, e) -> {
      if (e != null) {
        LOG.warn("renewing lease {} failed: {}", leaseId, e.getMessage());
      }
    });
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private QueenConsumer begin() {
    threads.forEach(Thread::start);
    return this;
  }

  /**
   * Messages handled successfully so far. Any thread.
   *
   * @return the messages whose handler returned normally, since start
   */
  public long handledCount() {
    return handled.get();
  }

  /**
   * What is stored as the message's error: the exception's class and message, as
   * {@link Throwable#toString()} gives them; NUL replaced, which PostgreSQL cannot store in text
   * (the ack would be refused for it).
   */
  static String errorText(Throwable e) {
    return e.toString().replace('\0', '\uFFFD');
  }

  /**
   * Messages whose handler threw so far. Any thread.
   *
   * @return the messages whose handler threw (and were acked {@code failed}), since start
   */
  public long failedCount() {
    return failed.get();
  }

  /**
   * Stops polling, lets batches being handled finish and be acked, and waits for the consumer
   * threads up to the builder's stop timeout. A pop still waiting is cancelled (any lease it took
   * is released). Idempotent.
   */
  @Override
  public void close() {
    running = false;
    for (var pending : pendingPops) {
      var f = pending.get();
      if (f != null) {
        f.cancel(false);
      }
    }
    try {
      if (!stopped.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("consumer of {} did not stop within {} ms; interrupting", request.queue(),
            stopTimeout.toMillis());
        threads.forEach(Thread::interrupt);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (renewer != null) {
        renewer.shutdownNow();
      }
    }
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private final QueueManager queen;
    private final String queue;
    private String partition;
    private String consumerGroup;
    private int concurrency = 1;
    private int batch = 1;
    private Duration waitTimeout = Duration.ofSeconds(30);
    private Duration renewEvery;
    private int renewSeconds;
    private Duration stopTimeout = Duration.ofSeconds(30);
    private MessageHandler handler;

    private Builder(QueueManager queen, String queue) {
      this.queen = Objects.requireNonNull(queen, "queen");
      this.queue = Objects.requireNonNull(queue, "queue");
    }

    /**
     * Consumes one partition of the queue only.
     *
     * @param v the partition's name; default null: any partition
     * @return this builder
     */
    public Builder partition(String v) { this.partition = v; return this; }

    /**
     * The consumer group to consume as.
     *
     * @param v the group's name; default null: queue mode
     * @return this builder
     */
    public Builder consumerGroup(String v) { this.consumerGroup = v; return this; }

    /**
     * The number of consumer threads, each popping and handling one batch at a time.
     *
     * @param v 1 to 1024; default 1
     * @return this builder
     * @throws IllegalArgumentException when {@code v} is out of bounds
     */
    public Builder concurrency(int v) {
      if (v < 1 || v > 1024) {
        throw new IllegalArgumentException("concurrency must be between 1 and 1024, was " + v);
      }
      this.concurrency = v;
      return this;
    }

    /**
     * The most messages one pop returns.
     *
     * @param v 1 to {@link PopRequest#MAX_BATCH}; default 1
     * @return this builder
     * @throws IllegalArgumentException when {@code v} is out of bounds
     */
    public Builder batch(int v) {
      if (v < 1 || v > PopRequest.MAX_BATCH) {
        throw new IllegalArgumentException(
            "batch must be between 1 and " + PopRequest.MAX_BATCH + ", was " + v);
      }
      this.batch = v;
      return this;
    }

    /**
     * How long one pop waits for messages before polling again (default 30 s).
     *
     * @param v positive; default 30 seconds
     * @return this builder
     * @throws IllegalArgumentException when {@code v} is null, zero or negative
     */
    public Builder waitTimeout(Duration v) {
      if (v == null || v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("waitTimeout must be positive, was " + v);
      }
      this.waitTimeout = v;
      return this;
    }

    /**
     * Extends the lease of a batch being handled every {@code every}, by {@code seconds}, so
     * handlers that run longer than the queue's lease time keep their partition. The
     * extensions run on the {@code queen-consumer-renew} thread; a failed one is logged. Default:
     * no renewal.
     *
     * @param every how often to extend; positive
     * @param seconds how far each extension reaches from now, in seconds; at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code every} is null, zero or negative, or
     *     {@code seconds} is below 1
     */
    public Builder renewLeases(Duration every, int seconds) {
      if (every == null || every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("lease renewal interval must be positive, was " + every);
      }
      if (seconds < 1) {
        throw new IllegalArgumentException("lease renewal must extend by at least 1 s, was " + seconds);
      }
      this.renewEvery = every;
      this.renewSeconds = seconds;
      return this;
    }

    /**
     * How long {@link QueenConsumer#close()} waits for the consumer threads before interrupting
     * them.
     *
     * @param v zero or positive; default 30 seconds
     * @return this builder
     * @throws IllegalArgumentException when {@code v} is null or negative
     */
    public Builder stopTimeout(Duration v) {
      if (v == null || v.isNegative()) {
        throw new IllegalArgumentException("stopTimeout must be zero or positive, was " + v);
      }
      this.stopTimeout = v;
      return this;
    }

    /**
     * What processes each message; required.
     *
     * @param v the handler, called on the consumer threads
     * @return this builder
     */
    public Builder handler(MessageHandler v) { this.handler = v; return this; }

    /**
     * Starts the consumer threads.
     *
     * @return the running consumer; close it to stop
     * @throws IllegalStateException when no handler was given
     * @throws IllegalArgumentException when the queue's name is empty (as {@link PopRequest}
     *     checks it)
     * @throws io.queen.error.InvalidRequestException when the queue, partition or consumer group
     *     is a name no pop would accept (too long, control characters): refused here rather than
     *     by every pop the consumer would make
     */
    public QueenConsumer start() {
      if (handler == null) {
        throw new IllegalStateException("a handler is required");
      }
      Validation.name("queue", queue);
      if (partition != null) {
        Validation.name("partition", partition);
      }
      if (consumerGroup != null) {
        Validation.name("consumerGroup", consumerGroup);
      }
      return new QueenConsumer(this).begin();
    }
  }
}
