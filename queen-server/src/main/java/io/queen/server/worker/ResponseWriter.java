package io.queen.server.worker;

import io.queen.model.PopResult;
import io.queen.server.http.ApiResponse;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

/**
 * Writes one response and ends its exchange: status, CORS headers, {@code Retry-After}, the body
 * (JSON, or a typed one: a scrape, a dashboard file), and the operation's metrics (counted when
 * the response is written, so latency includes the wait of a parked request). A pop result that
 * cannot be written is given back so its messages are redelivered. Owning IO thread only
 * (checked by {@link OwnerThreadGuard}).
 */
final class ResponseWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);
  /** One line per answered request; off unless {@code LOG_REQUESTS=true} (or LOG_LEVEL names it). */
  private static final Logger ACCESS = LoggerFactory.getLogger(IoThreadWorkers.ACCESS_LOGGER);
  private static final HttpString RETRY_AFTER = new HttpString("Retry-After");
  private static final HttpString WWW_AUTHENTICATE = new HttpString("WWW-Authenticate");
  private static final HttpString TRACEPARENT = new HttpString("traceparent");
  private static final HttpString TRACESTATE = new HttpString("tracestate");
  private static final HttpString EXPOSE_HEADERS =
      new HttpString("Access-Control-Expose-Headers");

  private final int worker;
  private final XnioIoThread io;
  private final OwnerThreadGuard guard;
  private final OperationMetrics metrics;
  private final WorkerCounters counters;
  private final DisconnectProbe probe;
  private final UndeliveredResults undelivered;

  private final Cors cors;

  ResponseWriter(int worker, XnioIoThread io, OwnerThreadGuard guard, OperationMetrics metrics,
      WorkerCounters counters, DisconnectProbe probe, UndeliveredResults undelivered, Cors cors) {
    this.worker = worker;
    this.cors = cors;
    this.io = io;
    this.guard = guard;
    this.metrics = metrics;
    this.counters = counters;
    this.probe = probe;
    this.undelivered = undelivered;
  }

  /** IO thread: writes {@code response} and ends the exchange. */
  void write(HttpServerExchange exchange, String operation, long startNanos, ApiResponse response) {
    guard.check(io, "writing a response");
    if (exchange.isResponseStarted()) {
      LOG.error("worker {}: response for {} already started; dropping {}", worker,
          exchange.getRequestURI(), response.status());
      undelivered.giveBack(response);
      return;
    }
    probe.stop(exchange);
    exchange.setStatusCode(response.status());
    cors.apply(exchange.getRequestHeaders(), exchange.getResponseHeaders());
    if (response.status() == 401) {
      // every 401 of this server is the JWT gate's (RFC 6750)
      exchange.getResponseHeaders().put(WWW_AUTHENTICATE, "Bearer realm=\"queen\"");
    }
    if (response.retryAfterSeconds() > 0) {
      exchange.getResponseHeaders().put(RETRY_AFTER, Integer.toString(response.retryAfterSeconds()));
    }
    if (response.undelivered() != null) {
      traceHeaders(exchange, response.undelivered());
    }
    long micros = (System.nanoTime() - startNanos) / 1_000;
    metrics.record(operation, response.status(), response.items(), micros);
    if (ACCESS.isInfoEnabled()) {
      var query = exchange.getQueryString();
      ACCESS.info("{} {}{}{} {} {} items={} {}us", exchange.getRequestMethod(),
          exchange.getRequestPath(), query.isEmpty() ? "" : "?", query, response.status(),
          operation, response.items(), micros);
    }
    counters.delivered.increment();
    if (response.body() == null) {
      exchange.endExchange();
      return;
    }
    if (response.contentType() == null) {
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    } else {
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, response.contentType());
      // the dashboard's versioned files set their own (immutable); a scrape must not be cached
      if (!exchange.getResponseHeaders().contains(Headers.CACHE_CONTROL)) {
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
      }
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, response.body().length);
    exchange.getResponseSender().send(ByteBuffer.wrap(response.body()), new Sent(response));
  }

  /**
   * A popped batch whose messages were all pushed in one trace context answers with it as the
   * {@code traceparent} / {@code tracestate} headers (each message also carries its own).
   */
  private static void traceHeaders(HttpServerExchange exchange, PopResult popped) {
    var messages = popped.messages();
    if (messages.isEmpty() || messages.get(0).traceContext() == null) {
      return;
    }
    var context = messages.get(0).traceContext();
    for (int i = 1; i < messages.size(); i++) {
      if (!context.equals(messages.get(i).traceContext())) {
        return;
      }
    }
    var headers = exchange.getResponseHeaders();
    headers.put(TRACEPARENT, context.traceparent());
    if (context.tracestate() != null) {
      headers.put(TRACESTATE, context.tracestate());
    }
    headers.put(EXPOSE_HEADERS, "traceparent, tracestate"); // readable by a browser's script
  }

  /** Ends the exchange once the body is out; gives back a pop result that could not be sent. */
  private final class Sent implements IoCallback {
    private final ApiResponse response;

    Sent(ApiResponse response) {
      this.response = response;
    }

    @Override
    public void onComplete(HttpServerExchange exchange, Sender sender) {
      exchange.endExchange();
    }

    @Override
    public void onException(HttpServerExchange exchange, Sender sender, IOException e) {
      counters.undeliverable.increment();
      LOG.debug("worker {}: could not write a response: {}", worker, e.toString());
      undelivered.giveBack(response);
      IoUtils.safeClose(exchange.getConnection());
      exchange.endExchange();
    }
  }
}
