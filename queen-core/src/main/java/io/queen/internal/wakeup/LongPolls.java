package io.queen.internal.wakeup;

import io.queen.WaitingPop;
import io.queen.error.OverloadedException;
import io.queen.error.ShutdownException;
import io.queen.metrics.QueenMetrics;
import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.time.Scheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parked long polls and their wake-ups.
 *
 * <p>Concurrency: every method may be called from any thread. A waiter runs at most one pop at a
 * time (state RUNNING); a wake-up that arrives while its pop runs moves it to RUNNING_DIRTY, and an
 * empty result then re-pops at once. Because a waiter is registered before its first pop starts,
 * a push that commits between an empty pop and the parking cannot be missed. A waiter is answered
 * empty (deadline, {@link WaitingPop#endWaitUnlessPopping}) only by moving IDLE to ENDED, never
 * while a pop runs: that pop's result is the answer, so an auto-acked result is not given back to
 * be delivered behind newer messages.
 *
 * <p>Wake-ups come from pushes committed in this process ({@link #wake}), from other instances
 * through LISTEN/NOTIFY (also {@link #wake}), and from a per-waiter recheck timer, the fallback
 * that bounds the latency when no wake-up arrives: its delay starts at a sixteenth of the recheck
 * interval and doubles after each empty re-check up to the interval.
 *
 * <p>Failure: a result that arrives for a waiter whose caller has gone (cancelled future) is
 * handed to {@code undeliverable}, which releases its lease.
 */
public final class LongPolls {
  private static final Logger LOG = LoggerFactory.getLogger(LongPolls.class);
  /** Waiters of namespace/task pops are woken by a push to any queue. */
  private static final String ANY_QUEUE = "\u0000any";
  private static final int IDLE = 0;
  private static final int RUNNING = 1;
  private static final int RUNNING_DIRTY = 2;
  /** Terminal: the wait ended with no pop running; none may start. */
  private static final int ENDED = 3;
  /** How soon a waiter whose pop found only partitions busy with other claims looks again. */
  private static final long BUSY_RETRY_NANOS = 25_000_000L;

  private final Function<PopRequest, CompletableFuture<PopResult>> popOnce;
  private final Consumer<PopResult> undeliverable;
  private final Scheduler scheduler;
  private final long recheckNanos;
  private final long firstBackoffNanos;
  private final int maxWaiting;
  private final Duration retryAfter;
  private final QueenMetrics metrics;
  private final ConcurrentHashMap<String, Set<Waiter>> byQueue = new ConcurrentHashMap<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile boolean closed;

  private final class Waiter {
    final PopRequest request;
    final String key;
    final long deadlineNanos;
    final CallerFuture caller = new CallerFuture(this);
    /**
     * IDLE, RUNNING (a pop is in flight), RUNNING_DIRTY (and a wake-up came meanwhile) or ENDED
     * (answered empty while IDLE).
     */
    final AtomicInteger state = new AtomicInteger(IDLE);
    /** The last pop skipped partitions other transactions were claiming (outcome BUSY). */
    volatile boolean busy;
    volatile Scheduler.Cancellable recheck;
    /** The next fallback re-check delay: doubles after each empty re-check, up to the maximum. */
    volatile long backoffNanos = firstBackoffNanos;
    /** Whether it parked at least once, and when it first did (scheduler nanos). */
    volatile boolean parked;
    volatile long parkedAtNanos;

    Waiter(PopRequest request, String key, long deadlineNanos) {
      this.request = request;
      this.key = key;
      this.deadlineNanos = deadlineNanos;
    }
  }

  /** The waiter's future, as its caller holds it. */
  private final class CallerFuture extends WaitingPop {
    private final Waiter waiter;

    CallerFuture(Waiter waiter) {
      this.waiter = waiter;
    }

    @Override
    public boolean endWaitUnlessPopping() {
      return endIfIdle(waiter);
    }
  }

  /**
   * @param popOnce runs one pop (no waiting) and completes with its result
   * @param undeliverable takes back a result whose caller has gone
   * @param scheduler the time and the timers of rechecks and deadlines
   * @param metrics told when a long poll parks and when a parked one ends
   */
  public LongPolls(Function<PopRequest, CompletableFuture<PopResult>> popOnce,
      Consumer<PopResult> undeliverable, Scheduler scheduler, Duration recheck,
      int maxWaiting, Duration retryAfter, QueenMetrics metrics) {
    this.popOnce = popOnce;
    this.undeliverable = undeliverable;
    this.scheduler = scheduler;
    this.recheckNanos = recheck.toNanos();
    this.firstBackoffNanos = Math.max(Math.min(recheckNanos, 10_000_000L), recheckNanos / 16);
    this.maxWaiting = maxWaiting;
    this.retryAfter = retryAfter;
    this.metrics = metrics;
  }

  /**
   * A pop that waits up to its timeout for messages; the future is a {@link WaitingPop} unless the
   * pop was refused. Any thread.
   */
  public CompletableFuture<PopResult> pop(PopRequest request) {
    if (closed) {
      return CompletableFuture.failedFuture(new ShutdownException("Queen is shutting down; pop refused"));
    }
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      return CompletableFuture.failedFuture(new OverloadedException(
          "too many waiting pops (" + maxWaiting + "); retry after " + retryAfter.toMillis() + " ms",
          retryAfter));
    }
    var key = request.queue() == null ? ANY_QUEUE : request.queue();
    var w = new Waiter(request, key, scheduler.nanoTime() + request.waitTimeout().toNanos());
    byQueue.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(w);
    w.caller.whenComplete((r, e) -> forget(w, r));
    attempt(w);
    return w.caller;
  }

  /** Wakes every waiter of {@code queue} (the partitions written are not known). Any thread. */
  public void wake(String queue) {
    wake(queue, null);
  }

  /**
   * Wakes the waiters a push to these partitions of {@code queue} may satisfy: every waiter on one
   * of those partitions by name, and up to {@code partitions.size()} wildcard waiters of each
   * consumer group (a pop leases at least one partition, so more could not all be served).
   * Waking every waiter for every push was a thundering herd: ten consumers meant ten pops, nine
   * of them empty, per message. {@code null} partitions means unknown: wake everyone. Any thread.
   */
  public void wake(String queue, Set<String> partitions) {
    int perGroup = partitions == null ? Integer.MAX_VALUE : partitions.size();
    wakeSome(byQueue.get(queue), partitions, perGroup, false);
    wakeSome(byQueue.get(ANY_QUEUE), partitions, perGroup, false);
  }

  /** Wakes one more wildcard waiter per group of {@code queue}: a pop came back full. */
  public void relay(String queue) {
    wakeSome(byQueue.get(queue), Set.of(), 1, false);
  }

  private void wakeSome(Set<Waiter> waiters, Set<String> partitions, int perGroup,
      boolean busyOnly) {
    if (waiters == null) {
      return;
    }
    HashMap<String, Integer> woken = null;
    for (var w : waiters) {
      if (busyOnly && !w.busy) {
        continue;
      }
      var named = w.request.partition();
      if (named != null) {
        if (partitions == null || partitions.contains(named)) {
          attempt(w);
        }
        continue;
      }
      if (perGroup != Integer.MAX_VALUE) {
        var group = w.request.groupOrQueueMode();
        if (woken == null) {
          woken = new HashMap<>();
        }
        int n = woken.getOrDefault(group, 0);
        if (n >= perGroup) {
          continue;
        }
        woken.put(group, n + 1);
      }
      attempt(w);
    }
  }

  /**
   * Wakes the waiters of {@code queue} whose last pop found only partitions that other
   * transactions were claiming: a claim on that queue has just committed, so they may find what
   * it left. Any thread.
   */
  public void wakeBusy(String queue) {
    // One per group: the claim that just committed freed one partition; if the woken waiter
    // finds more, its own commit wakes the next one.
    wakeSome(byQueue.get(queue), Set.of(), 1, true);
  }

  /** Wakes every waiter (used after leases were reaped or released). Any thread. */
  public void wakeAll() {
    byQueue.values().forEach(set -> wakeSome(set, null, Integer.MAX_VALUE, false));
  }

  /** Long polls parked now. Any thread. */
  public int waitingCount() {
    return waiting.get();
  }

  /** Long polls parked now on each queue that has any (namespace pops under ""). Any thread. */
  public Map<String, Integer> waitingByQueue() {
    var out = new HashMap<String, Integer>();
    byQueue.forEach((queue, set) -> {
      int n = set.size();
      if (n > 0) {
        out.merge(queue.equals(ANY_QUEUE) ? "" : queue, n, Integer::sum);
      }
    });
    return out;
  }

  /** Answers every waiter with an empty result and refuses new ones. Any thread. */
  public void close() {
    closed = true;
    for (var set : byQueue.values()) {
      for (var w : set) {
        w.caller.complete(timedOut(w));
      }
    }
  }

  /**
   * Starts a pop for the waiter, or, when one is in flight, marks it dirty so that an empty result
   * is followed by another pop at once. The state moves only by compare-and-set, so a wake-up can
   * never fall between a finishing pop's last look and its parking.
   */
  private void attempt(Waiter w) {
    while (!w.caller.isDone()) {
      int st = w.state.get();
      if (st == RUNNING_DIRTY || st == ENDED) {
        return;
      }
      if (st == RUNNING) {
        if (w.state.compareAndSet(RUNNING, RUNNING_DIRTY)) {
          return;
        }
        continue;
      }
      if (w.state.compareAndSet(IDLE, RUNNING)) {
        runPop(w);
        return;
      }
    }
  }

  /** Runs one pop for a waiter in state RUNNING. */
  private void runPop(Waiter w) {
    var pending = w.recheck;
    if (pending != null) {
      pending.cancel();
    }
    CompletableFuture<PopResult> result;
    try {
      result = popOnce.apply(w.request);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete((r, e) -> onResult(w, r, e));
  }

  private void onResult(Waiter w, PopResult result, Throwable error) {
    // ENDED before completing: a concurrent endIfIdle must not answer empty in between.
    if (error != null) {
      w.state.set(ENDED);
      w.caller.completeExceptionally(error);
      return;
    }
    if (!result.isEmpty()) {
      w.state.set(ENDED);
      if (!w.caller.complete(result)) {
        undeliverable.accept(result);
      }
      return;
    }
    w.busy = result.outcome() == PopOutcome.BUSY;
    long left = w.deadlineNanos - scheduler.nanoTime();
    if (w.caller.isDone() || left <= 0 || closed) {
      w.state.set(ENDED);
      w.caller.complete(timedOut(w));
      return;
    }
    // Either pop again now (a wake-up came while this one ran), or park.
    if (w.state.compareAndSet(RUNNING_DIRTY, RUNNING)) {
      runPop(w);
      return;
    }
    long delay = w.busy ? Math.min(BUSY_RETRY_NANOS, w.backoffNanos) : w.backoffNanos;
    delay = Math.min(left, delay);
    if (!w.busy) {
      w.backoffNanos = Math.min(recheckNanos, w.backoffNanos * 2);
    }
    if (!w.parked) {
      w.parkedAtNanos = scheduler.nanoTime();
      w.parked = true;
      metrics.longPollParked(w.request.queue() == null ? "" : w.request.queue());
    }
    try {
      w.recheck = scheduler.schedule(() -> onTimer(w), delay);
    } catch (RejectedExecutionException e) {
      w.state.set(ENDED);
      w.caller.complete(timedOut(w));
      return;
    }
    if (!w.state.compareAndSet(RUNNING, IDLE)) {
      // A wake-up marked us dirty while we were scheduling the recheck: pop again now.
      w.state.set(RUNNING);
      runPop(w);
    }
  }

  /**
   * The recheck and deadline timer. It may fire while the pop that scheduled it is still finishing
   * (state RUNNING): {@link #attempt} then marks the waiter dirty, so that pop looks again (or
   * answers the deadline) instead of parking without a timer.
   */
  private void onTimer(Waiter w) {
    if (w.caller.isDone()) {
      return;
    }
    if (scheduler.nanoTime() - w.deadlineNanos < 0 || !endIfIdle(w)) {
      attempt(w);
    }
  }

  /**
   * Answers the waiter empty unless a pop for it is running; the state moves IDLE to ENDED by
   * compare-and-set, so no pop can start after the check (a pop started by a wake-up just then
   * would have its result given back, to be delivered behind newer messages).
   *
   * @return whether the caller's future is complete
   */
  private boolean endIfIdle(Waiter w) {
    if (w.caller.isDone()) {
      return true;
    }
    if (w.state.compareAndSet(IDLE, ENDED)) {
      w.caller.complete(timedOut(w));
      return true;
    }
    return w.caller.isDone();
  }

  private void forget(Waiter w, PopResult result) {
    if (w.parked) {
      metrics.longPollEnded(w.request.queue() == null ? "" : w.request.queue(),
          result != null && !result.isEmpty(), scheduler.nanoTime() - w.parkedAtNanos);
    }
    var set = byQueue.get(w.key);
    if (set != null && set.remove(w)) {
      waiting.decrementAndGet();
    }
    var pending = w.recheck;
    if (pending != null) {
      pending.cancel();
    }
    if (LOG.isTraceEnabled()) {
      LOG.trace("long poll on {} finished", w.key);
    }
  }

  private static PopResult timedOut(Waiter w) {
    return PopResult.empty(PopOutcome.TIMED_OUT, w.request.groupOrQueueMode());
  }
}
