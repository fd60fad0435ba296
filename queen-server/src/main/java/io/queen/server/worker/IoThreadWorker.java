package io.queen.server.worker;

import io.queen.QueueManager;
import io.queen.response.ResponseQueue;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.ErrorMapper;
import io.queen.server.http.LongPollFuture;
import io.queen.server.http.Router.Route;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSourceChannel;

/**
 * Everything one XNIO IO thread owns: its parked exchanges, its {@link ResponseQueue}, the drain
 * task that empties that queue, and its periodic backstop timer.
 *
 * <p>Concurrency: exactly one method may be called from any thread, {@link #offer} (through the
 * completion of a handler's future); it only puts plain data ({@link Completion}) into the queue.
 * Every other method runs on the owning IO thread and checks that it does ({@link OwnerThreadGuard}),
 * and only those methods ever see an {@link HttpServerExchange}. So the registry of parked
 * exchanges needs no lock.
 *
 * <p>Delivery: the queue's empty-to-non-empty wake-up schedules {@link #drain} on the IO thread
 * (one {@code execute} per burst); the drain empties the queue in slices, re-scheduling itself
 * between slices so socket IO of other connections keeps flowing. The timer
 * ({@code RESPONSE_TIMER_INTERVAL_MS}) is only a backstop: it drains anything a wake-up missed,
 * answers long polls past their deadline with 204, and sweeps exchanges of closed connections.
 *
 * <p>Failure: a result whose exchange is gone (client closed, deadline expired) is dropped; if it
 * carries a pop lease, the lease is released so its messages are redelivered at once. A request
 * beyond {@code maxPending} outstanding ones is refused with 503 and {@code Retry-After}; since
 * each outstanding request produces exactly one completion, the queue (of that capacity) can never
 * refuse an offer.
 */
public final class IoThreadWorker {
  private static final Logger LOG = LoggerFactory.getLogger(IoThreadWorker.class);
  /** Completions written per drain slice before yielding to the event loop. */
  private static final int DRAIN_SLICE = 256;
  private static final AttachmentKey<ConnectionState> CONNECTION_STATE = AttachmentKey.create(ConnectionState.class);
  private static final HttpString RETRY_AFTER = new HttpString("Retry-After");

  /** A finished request, crossing from a core thread to the owning IO thread. */
  record Completion(long id, ApiResponse response, Throwable failure) {}

  /** A parked exchange. Confined to the owning IO thread. */
  private static final class Pending {
    final long id;
    final HttpServerExchange exchange;
    final CompletableFuture<ApiResponse> future;
    final String operation;
    final long startNanos;
    final long deadlineNanos; // 0 = no deadline (not a long poll)
    final ConnectionState connection;

    Pending(long id, HttpServerExchange exchange, CompletableFuture<ApiResponse> future,
        String operation, long startNanos, long deadlineNanos, ConnectionState connection) {
      this.id = id;
      this.exchange = exchange;
      this.future = future;
      this.operation = operation;
      this.startNanos = startNanos;
      this.deadlineNanos = deadlineNanos;
      this.connection = connection;
    }
  }

  /** Per-connection state, one close listener per connection (not per request). */
  private static final class ConnectionState implements ServerConnection.CloseListener {
    final IoThreadWorker worker;
    long currentId = -1; // confined to owning IO thread
    boolean closed; // confined to owning IO thread

    ConnectionState(IoThreadWorker worker) {
      this.worker = worker;
    }

    @Override
    public void closed(ServerConnection connection) {
      worker.onConnectionClosed(this);
    }
  }

  private final int number;
  private final XnioIoThread io;
  private final QueueManager queen;
  private final OwnerThreadGuard guard;
  private final OperationMetrics metrics;
  private final int maxPending;
  private final long timerIntervalMillis;
  private final long longPollGraceNanos;
  private final ResponseQueue<Completion> responses;
  private final Runnable drainTask = this::drain;
  private final HashMap<Long, Pending> pending = new HashMap<>(); // confined to owning IO thread
  private long nextId; // confined to owning IO thread
  private int outstanding; // confined to owning IO thread: started, completion not yet drained
  private XnioExecutor.Key timerKey; // confined to owning IO thread

  // Gauges and counters for /metrics: written by the IO thread, read by any thread.
  private volatile int pendingGauge;
  private volatile int outstandingGauge;
  private final LongAdder wakeUps = new LongAdder();
  private final LongAdder drains = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder disconnects = new LongAdder();
  private final LongAdder undeliverable = new LongAdder();
  private final LongAdder leasesReleased = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder timerDrains = new LongAdder();

  IoThreadWorker(int number, XnioIoThread io, QueueManager queen, OwnerThreadGuard guard,
      OperationMetrics metrics, int maxPending, long timerIntervalMillis) {
    this.number = number;
    this.io = io;
    this.queen = queen;
    this.guard = guard;
    this.metrics = metrics;
    this.maxPending = maxPending;
    this.timerIntervalMillis = timerIntervalMillis;
    this.longPollGraceNanos = TimeUnit.MILLISECONDS.toNanos(2 * timerIntervalMillis + 250);
    this.responses = ResponseQueue.create(maxPending, this::wakeUp);
  }

  // ---- any thread ----------------------------------------------------------------------------

  /** Any thread: hands a finished request to the owning IO thread. */
  void offer(Completion c) {
    if (responses.offer(c)) {
      return;
    }
    // Cannot happen while outstanding <= capacity; keep the result rather than lose a lease.
    LOG.error("worker {}: response queue full ({}), delivering through execute", number,
        responses.capacity());
    try {
      io.execute(() -> deliver(c));
    } catch (RejectedExecutionException e) {
      returnUndelivered(c.response());
    }
  }

  /** Runs on the offering thread when the queue goes from empty to non-empty: schedule a drain. */
  private void wakeUp() {
    wakeUps.increment();
    try {
      io.execute(drainTask);
    } catch (RejectedExecutionException e) {
      // The IO thread is stopping (shutdown); the timer is gone too, nothing can be written.
      LOG.debug("worker {}: IO thread refused the drain task (shutting down)", number);
    }
  }

  public XnioIoThread ioThread() {
    return io;
  }

  /** A snapshot for {@code /metrics}. Any thread. */
  public WorkerStats stats() {
    return new WorkerStats(number, io.getName(), pendingGauge, outstandingGauge, responses.size(),
        responses.capacity(), wakeUps.sum(), drains.sum(), timerDrains.sum(), delivered.sum(),
        disconnects.sum(), undeliverable.sum(), leasesReleased.sum(), expired.sum(),
        refused.sum());
  }

  // ---- owning IO thread only -----------------------------------------------------------------

  /** IO thread: starts the backstop timer. */
  void startTimer() {
    guard.check(io, "starting the response timer");
    timerKey = io.executeAtInterval(this::onTimer, timerIntervalMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * IO thread, inside the exchange's dispatch task: runs the handler and parks the exchange until
   * its completion is drained. A handler that throws is answered at once.
   */
  public void start(HttpServerExchange exchange, Route route, ApiRequest request) {
    guard.check(io, "starting a request");
    var operation = route.operation();
    long startNanos = System.nanoTime();
    if (outstanding >= maxPending) {
      refused.increment();
      write(exchange, operation, startNanos, ApiResponse.error(503,
          "Server busy: " + outstanding + " requests in flight on this worker; retry later")
          .withRetryAfter(1));
      return;
    }
    CompletableFuture<ApiResponse> future;
    try {
      future = route.handler().handle(request);
    } catch (RuntimeException e) {
      write(exchange, operation, startNanos, ErrorMapper.toResponse(e));
      return;
    }
    var connection = connectionState(exchange);
    long id = ++nextId;
    long deadline = 0;
    if (future instanceof LongPollFuture) {
      deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(((LongPollFuture) future).waitMillis())
          + longPollGraceNanos;
    }
    var p = new Pending(id, exchange, future, operation, startNanos, deadline, connection);
    pending.put(id, p);
    connection.currentId = id;
    outstanding++;
    updateGauges();
    if (deadline != 0 && !future.isDone()) {
      watchForDisconnect(exchange);
    }
    // May run at once on this thread when the future is already done; the drain it schedules
    // then runs after this task returns, never inside it.
    future.whenComplete((response, failure) -> offer(new Completion(id, response, failure)));
  }

  /** IO thread: answers a request that never reached a handler (404, 413, OPTIONS, ...). */
  public void respondNow(HttpServerExchange exchange, String operation, ApiResponse response) {
    guard.check(io, "answering a request");
    write(exchange, operation, System.nanoTime(), response);
  }

  /** IO thread: the drain task, scheduled by the wake-up and re-scheduled between slices. */
  private void drain() {
    guard.check(io, "draining the response queue");
    drains.increment();
    int handled = 0;
    while (true) {
      int n = responses.drain(this::deliverSafely, DRAIN_SLICE);
      handled += n;
      if (responses.isEmpty()) {
        return;
      }
      if (n == 0 || handled >= DRAIN_SLICE * 4) {
        // Either an offer is half done (its item will be there in a moment) or we have written a
        // lot: let the event loop run socket IO, then come back. Still "scheduled" as far as the
        // queue is concerned (it is non-empty), so we must re-arm ourselves.
        try {
          io.execute(drainTask);
        } catch (RejectedExecutionException e) {
          LOG.debug("worker {}: could not re-arm the drain (shutting down)", number);
        }
        return;
      }
    }
  }

  private void deliverSafely(Completion c) {
    try {
      deliver(c);
    } catch (RuntimeException e) {
      LOG.error("worker {}: delivering a response failed", number, e);
    }
  }

  /** IO thread: writes one completion to its exchange, or cleans up when the exchange is gone. */
  private void deliver(Completion c) {
    guard.check(io, "delivering a response");
    outstanding--;
    var p = pending.remove(c.id());
    updateGauges();
    if (p == null) {
      // Already answered (deadline, shutdown) or the client went away.
      if (c.response() != null && c.response().undelivered() != null) {
        undeliverable.increment();
        returnUndelivered(c.response());
      }
      return;
    }
    p.connection.currentId = -1;
    var response = c.failure() != null ? ErrorMapper.toResponse(c.failure()) : c.response();
    if (p.connection.closed || !p.exchange.getConnection().isOpen()) {
      undeliverable.increment();
      returnUndelivered(response);
      return;
    }
    write(p.exchange, p.operation, p.startNanos, response);
  }

  /** IO thread: the backstop timer. */
  private void onTimer() {
    guard.check(io, "running the response timer");
    if (!responses.isEmpty()) {
      timerDrains.increment();
      drain();
    }
    if (pending.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    ArrayList<Pending> due = null;
    for (var p : pending.values()) {
      boolean expiredPoll = p.deadlineNanos != 0 && now - p.deadlineNanos >= 0;
      boolean gone = p.connection.closed || !p.exchange.getConnection().isOpen();
      if (expiredPoll || gone) {
        if (due == null) {
          due = new ArrayList<>();
        }
        due.add(p);
      }
    }
    if (due != null) {
      for (var p : due) {
        if (p.connection.closed || !p.exchange.getConnection().isOpen()) {
          drop(p);
        } else {
          expired.increment();
          answerEmpty(p);
        }
      }
    }
  }

  /**
   * IO thread: answers every parked long poll with 204 (graceful shutdown: "answer waiting long
   * polls with an empty result"). Other requests are left to finish.
   */
  void answerLongPolls() {
    guard.check(io, "answering long polls for shutdown");
    var polls = new ArrayList<Pending>();
    for (var p : pending.values()) {
      if (p.deadlineNanos != 0) {
        polls.add(p);
      }
    }
    polls.forEach(this::answerEmpty);
  }

  /** IO thread: stops the timer (shutdown). */
  void stopTimer() {
    guard.check(io, "stopping the response timer");
    if (timerKey != null) {
      timerKey.remove();
      timerKey = null;
    }
  }

  private void answerEmpty(Pending p) {
    pending.remove(p.id);
    p.connection.currentId = -1;
    updateGauges();
    // Cancelling the core's pop drops its waiter; a result it produces anyway comes back as a
    // completion without an exchange and its lease is released in deliver().
    p.future.cancel(false);
    write(p.exchange, p.operation, p.startNanos, ApiResponse.noContent());
  }

  private void drop(Pending p) {
    pending.remove(p.id);
    p.connection.currentId = -1;
    updateGauges();
    disconnects.increment();
    p.future.cancel(false);
  }

  /** IO thread (or not: the connection may be closed elsewhere at shutdown). */
  private void onConnectionClosed(ConnectionState state) {
    if (Thread.currentThread() != io) {
      try {
        io.execute(() -> onConnectionClosed(state));
      } catch (RejectedExecutionException e) {
        LOG.debug("worker {}: connection closed during shutdown", number);
      }
      return;
    }
    guard.check(io, "handling a closed connection");
    state.closed = true;
    if (state.currentId >= 0) {
      var p = pending.get(state.currentId);
      if (p != null) {
        drop(p);
      }
    }
  }

  private ConnectionState connectionState(HttpServerExchange exchange) {
    var connection = exchange.getConnection();
    var state = connection.getAttachment(CONNECTION_STATE);
    if (state == null) {
      state = new ConnectionState(this);
      connection.putAttachment(CONNECTION_STATE, state);
      connection.addCloseListener(state);
    }
    return state;
  }

  /**
   * Undertow suspends reads on a connection while a request runs, so a client that closes during
   * a long poll would go unnoticed until the response is written. For the parked poll we read the
   * raw connection: end of stream closes it (firing the close listener, which drops the waiter at
   * once); bytes of a pipelined next request are pushed back for Undertow to parse after this
   * exchange. The exchange's completion resets the connection's read listener to Undertow's own.
   */
  private void watchForDisconnect(HttpServerExchange exchange) {
    if (!(exchange.getConnection() instanceof HttpServerConnection) || !exchange.isRequestComplete()) {
      return;
    }
    var connection = (HttpServerConnection) exchange.getConnection();
    if (connection.getExtraBytes() != null) {
      return; // a pipelined request is already buffered; do not read past it
    }
    var source = connection.getChannel().getSourceChannel();
    source.setReadListener(channel -> probe(connection, channel));
    source.resumeReads();
  }

  private void probe(HttpServerConnection connection, StreamSourceChannel channel) {
    guard.check(io, "probing a parked connection");
    var pooled = connection.getByteBufferPool().allocate();
    boolean keep = false;
    try {
      var buffer = pooled.getBuffer();
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        channel.suspendReads();
        IoUtils.safeClose(connection);
      } else if (n > 0) {
        buffer.flip();
        connection.ungetRequestBytes(pooled);
        keep = true;
        channel.suspendReads();
      }
    } catch (IOException e) {
      channel.suspendReads();
      IoUtils.safeClose(connection);
    } finally {
      if (!keep) {
        pooled.close();
      }
    }
  }

  /** IO thread: writes a response and ends the exchange. */
  private void write(HttpServerExchange exchange, String operation, long startNanos,
      ApiResponse response) {
    guard.check(io, "writing a response");
    if (exchange.isResponseStarted()) {
      LOG.error("worker {}: response for {} already started; dropping {}", number,
          exchange.getRequestURI(), response.status());
      returnUndelivered(response);
      return;
    }
    var source = exchange.getConnection() instanceof HttpServerConnection
        ? ((HttpServerConnection) exchange.getConnection()).getChannel().getSourceChannel() : null;
    if (source != null && exchange.isRequestComplete()) {
      source.suspendReads(); // stop a disconnect probe; Undertow resumes its own reads after us
    }
    exchange.setStatusCode(response.status());
    Cors.apply(exchange.getResponseHeaders());
    if (response.retryAfterSeconds() > 0) {
      exchange.getResponseHeaders().put(RETRY_AFTER, Integer.toString(response.retryAfterSeconds()));
    }
    long micros = (System.nanoTime() - startNanos) / 1_000;
    metrics.record(operation, response.status(), response.items(), micros);
    delivered.increment();
    if (response.body() == null) {
      exchange.endExchange();
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, response.body().length);
    exchange.getResponseSender().send(ByteBuffer.wrap(response.body()), new IoCallback() {
      @Override
      public void onComplete(HttpServerExchange ex, Sender sender) {
        ex.endExchange();
      }

      @Override
      public void onException(HttpServerExchange ex, Sender sender, IOException e) {
        undeliverable.increment();
        LOG.debug("worker {}: could not write a response: {}", number, e.toString());
        returnUndelivered(response);
        IoUtils.safeClose(ex.getConnection());
        ex.endExchange();
      }
    });
  }

  /**
   * Any thread: gives back a pop result nobody received (lease released, or auto-acked messages
   * unsettled), so its messages are redelivered at once and none is lost.
   */
  private void returnUndelivered(ApiResponse response) {
    if (response == null || response.undelivered() == null) {
      return;
    }
    var result = response.undelivered();
    try {
      queen.returnUndelivered(result).whenComplete((n, e) -> {
        if (e != null) {
          LOG.warn("worker {}: returning an undelivered pop result ({} messages) failed: {}",
              number, result.messages().size(), e.getMessage());
        } else {
          leasesReleased.increment();
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("worker {}: returning an undelivered pop result failed: {}", number, e.getMessage());
    }
  }

  private void updateGauges() {
    pendingGauge = pending.size();
    outstandingGauge = outstanding;
  }
}
