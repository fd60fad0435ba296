package io.queen.server.worker;

import io.queen.server.http.ApiResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

/**
 * The registry of one IO thread's parked exchanges, by request id, with the state of the
 * connections they came on and the count of requests in flight (started, completion not yet
 * drained), which bounds admission.
 *
 * <p>Owning IO thread only, hence no lock: its callers run on checked paths
 * ({@link OwnerThreadGuard}), and a connection that closes on another thread (at shutdown) is
 * handed over to the owner before anything changes. The two gauges alone may be read by any thread.
 */
final class ParkedExchanges {
  private static final Logger LOG = LoggerFactory.getLogger(ParkedExchanges.class);
  private static final AttachmentKey<ConnectionState> CONNECTION_STATE =
      AttachmentKey.create(ConnectionState.class);

  /** A parked exchange. Confined to the owning IO thread. */
  static final class Parked {
    final long id;
    final HttpServerExchange exchange;
    final CompletableFuture<ApiResponse> future;
    final String operation;
    final long startNanos;
    final long deadlineNanos; // 0 = no deadline (not a long poll)
    final ConnectionState connection;

    Parked(long id, HttpServerExchange exchange, CompletableFuture<ApiResponse> future,
        String operation, long startNanos, long deadlineNanos, ConnectionState connection) {
      this.id = id;
      this.exchange = exchange;
      this.future = future;
      this.operation = operation;
      this.startNanos = startNanos;
      this.deadlineNanos = deadlineNanos;
      this.connection = connection;
    }

    /** Whether the client is gone, so nothing can be written to this exchange any more. */
    boolean gone() {
      return connection.closed || !exchange.getConnection().isOpen();
    }
  }

  /** Per-connection state, one close listener per connection (not per request). */
  static final class ConnectionState implements ServerConnection.CloseListener {
    private final ParkedExchanges registry;
    long currentId = -1; // confined to owning IO thread
    boolean closed; // confined to owning IO thread

    ConnectionState(ParkedExchanges registry) {
      this.registry = registry;
    }

    @Override
    public void closed(ServerConnection connection) {
      registry.onConnectionClosed(this);
    }
  }

  private final int worker;
  private final XnioIoThread io;
  private final OwnerThreadGuard guard;
  private final WorkerCounters counters;
  private final HashMap<Long, Parked> byId = new HashMap<>(); // confined to owning IO thread
  private long nextId; // confined to owning IO thread
  private int outstanding; // confined to owning IO thread: started, completion not yet drained
  // Written by the owning IO thread, read by any thread (/metrics, shutdown).
  private volatile int parkedGauge;
  private volatile int outstandingGauge;

  ParkedExchanges(int worker, XnioIoThread io, OwnerThreadGuard guard, WorkerCounters counters) {
    this.worker = worker;
    this.io = io;
    this.guard = guard;
    this.counters = counters;
  }

  /** IO thread: requests started whose completion has not been drained yet. */
  int outstanding() {
    return outstanding;
  }

  /** IO thread: parks an exchange until its completion arrives; it counts as outstanding. */
  Parked park(HttpServerExchange exchange, CompletableFuture<ApiResponse> future, String operation,
      long startNanos, long deadlineNanos) {
    var connection = connectionState(exchange);
    long id = ++nextId;
    var p = new Parked(id, exchange, future, operation, startNanos, deadlineNanos, connection);
    byId.put(id, p);
    connection.currentId = id;
    outstanding++;
    updateGauges();
    return p;
  }

  /**
   * IO thread: the completion of request {@code id} arrived, so it is no longer outstanding.
   *
   * @return its parked exchange, or null when that was answered already (deadline, shutdown) or
   *     the client went away
   */
  Parked complete(long id) {
    outstanding--;
    var p = byId.remove(id);
    updateGauges();
    if (p != null) {
      p.connection.currentId = -1;
    }
    return p;
  }

  /** IO thread: unparks {@code p} before its completion; the completion still counts it then. */
  void remove(Parked p) {
    byId.remove(p.id);
    p.connection.currentId = -1;
    updateGauges();
  }

  /** IO thread: the client went away; unparks {@code p} and cancels its work. */
  void drop(Parked p) {
    remove(p);
    counters.disconnects.increment();
    p.future.cancel(false);
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  /** IO thread: a live view of what is parked; unpark only after iterating. */
  Collection<Parked> all() {
    return byId.values();
  }

  /** Any thread: exchanges parked, as last published by the IO thread. */
  int parkedGauge() {
    return parkedGauge;
  }

  /** Any thread: requests outstanding, as last published by the IO thread. */
  int outstandingGauge() {
    return outstandingGauge;
  }

  /** Any thread (the connection may be closed elsewhere at shutdown); the work runs on the owner. */
  private void onConnectionClosed(ConnectionState state) {
    if (Thread.currentThread() != io) {
      try {
        io.execute(() -> onConnectionClosed(state));
      } catch (RejectedExecutionException e) {
        LOG.debug("worker {}: connection closed during shutdown", worker);
      }
      return;
    }
    guard.check(io, "handling a closed connection");
    state.closed = true;
    if (state.currentId >= 0) {
      var p = byId.get(state.currentId);
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

  private void updateGauges() {
    parkedGauge = byId.size();
    outstandingGauge = outstanding;
  }
}
