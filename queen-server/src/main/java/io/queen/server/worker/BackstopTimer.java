package io.queen.server.worker;

import io.queen.server.http.ApiResponse;
import io.queen.server.http.LongPollFuture;
import io.queen.server.worker.ParkedExchanges.Parked;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * One IO thread's periodic backstop ({@code RESPONSE_TIMER_INTERVAL_MS}). Wake-ups deliver
 * responses and the core answers long polls itself; this only catches what they missed: it drains
 * completions a wake-up did not, ends the core's wait of long polls past their deadline (plus a
 * grace) unless a pop for them is running, and drops exchanges whose connection closed. At
 * shutdown it answers every parked long poll.
 *
 * <p>A long poll whose pop is running is left to that pop: answering 204 over it would give the
 * pop's result back to the queue (auto-acked messages unsettled), to be delivered behind newer
 * messages of its partition. Only a pop still running {@link #LAST_RESORT_NANOS} past the deadline
 * is abandoned so (logged), lest a pop stuck in the database hold the exchange for ever.
 *
 * <p>Owning IO thread only: every entry point checks it ({@link OwnerThreadGuard}), and the timer
 * is pinned to that thread.
 */
final class BackstopTimer {
  private static final Logger LOG = LoggerFactory.getLogger(BackstopTimer.class);
  /** How long past its backstop deadline (timeout + grace) a long poll waits for a running pop. */
  private static final long LAST_RESORT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private final XnioIoThread io;
  private final OwnerThreadGuard guard;
  private final long intervalMillis;
  private final ResponseDrainTask drain;
  private final ParkedExchanges parked;
  private final ResponseWriter writer;
  private final WorkerCounters counters;
  private XnioExecutor.Key key; // confined to owning IO thread

  BackstopTimer(XnioIoThread io, OwnerThreadGuard guard, long intervalMillis,
      ResponseDrainTask drain, ParkedExchanges parked, ResponseWriter writer,
      WorkerCounters counters) {
    this.io = io;
    this.guard = guard;
    this.intervalMillis = intervalMillis;
    this.drain = drain;
    this.parked = parked;
    this.writer = writer;
    this.counters = counters;
  }

  /** IO thread: starts the timer. */
  void start() {
    guard.check(io, "starting the response timer");
    key = io.executeAtInterval(this::tick, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** IO thread: stops the timer (shutdown). */
  void stop() {
    guard.check(io, "stopping the response timer");
    if (key != null) {
      key.remove();
      key = null;
    }
  }

  /**
   * IO thread: answers every parked long poll with 204 (graceful shutdown: "answer waiting long
   * polls with an empty result"). Other requests are left to finish.
   */
  void answerLongPolls() {
    guard.check(io, "answering long polls for shutdown");
    var polls = new ArrayList<Parked>();
    for (var p : parked.all()) {
      if (p.deadlineNanos != 0) {
        polls.add(p);
      }
    }
    polls.forEach(this::answerEmpty);
  }

  private void tick() {
    guard.check(io, "running the response timer");
    if (!drain.isEmpty()) {
      counters.timerDrains.increment();
      drain.run();
    }
    if (parked.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    ArrayList<Parked> due = null;
    for (var p : parked.all()) {
      boolean expiredPoll = p.deadlineNanos != 0 && now - p.deadlineNanos >= 0;
      if (expiredPoll || p.gone()) {
        if (due == null) {
          due = new ArrayList<>();
        }
        due.add(p);
      }
    }
    if (due != null) {
      for (var p : due) {
        if (p.gone()) {
          parked.drop(p);
        } else if (now - p.deadlineNanos - LAST_RESORT_NANOS >= 0) {
          LOG.warn("{} still waiting for its pop {} s past its deadline; answered 204 and the pop's"
              + " result will be given back", p.operation,
              TimeUnit.NANOSECONDS.toSeconds(LAST_RESORT_NANOS));
          counters.expired.increment();
          answerEmpty(p);
        } else if (!p.future.isDone() && endWait(p)) {
          // The core answered empty; that completion is drained like any other.
          counters.expired.increment();
        }
      }
    }
  }

  private static boolean endWait(Parked p) {
    return p.future instanceof LongPollFuture && ((LongPollFuture) p.future).endWaitUnlessPopping();
  }

  private void answerEmpty(Parked p) {
    parked.remove(p);
    // Cancelling the core's pop drops its waiter; a result it produces anyway comes back as a
    // completion without an exchange and is given back by the drain.
    p.future.cancel(false);
    writer.write(p.exchange, p.operation, p.startNanos, ApiResponse.noContent());
  }
}
