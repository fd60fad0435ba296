package io.queen.server.worker;

import io.queen.error.InvalidRequestException;
import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.DecoratorChain;
import io.queen.server.http.ErrorMapper;
import io.queen.server.http.Router;
import io.queen.server.http.Router.Route;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.SameThreadExecutor;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * The root handler, on the request's IO thread, and the head of the chain intake → decorators →
 * route: shutdown refusal, CORS preflight, routing, the {@link NoRouteHandler} (the dashboard's
 * files) and else 404, the asynchronous body read (with its size
 * limit and its idle timeout), then the {@link DecoratorChain}, and finally the hand-off of the
 * parked exchange to the owning {@link IoThreadWorker}, which runs the route's handler. Never
 * blocks and never runs SQL.
 * Thread-safe (stateless but for the shutdown flag).
 */
public final class RequestIntake implements HttpHandler {
  /** Shared by every request without a body; a zero-length array cannot be written to. */
  private static final byte[] NO_BODY = new byte[0];

  private final Router router;
  private final DecoratorChain decorators;
  private final IoThreadWorkers workers;
  private final NoRouteHandler noRoute;
  private final int maxBodyBytes;
  private final long bodyTimeoutNanos;
  private volatile boolean shuttingDown;

  /**
   * @param noRoute asked before a request without a route gets the JSON 404 (the dashboard's
   *     files); it runs before the decorators, so the JWT gate never sees those requests
   * @param bodyTimeoutMs how long a body may stop arriving before it is answered 408
   *     ({@code REQUEST_READ_TIMEOUT_MS}; Undertow bounds the headers by the same setting)
   */
  public RequestIntake(Router router, DecoratorChain decorators, IoThreadWorkers workers,
      NoRouteHandler noRoute, int maxBodyBytes, int bodyTimeoutMs) {
    this.router = router;
    this.decorators = decorators;
    this.workers = workers;
    this.noRoute = noRoute;
    this.maxBodyBytes = maxBodyBytes;
    this.bodyTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(bodyTimeoutMs);
  }

  /** From now on, new requests are refused with 503 and their connections closed. */
  public void shutdown() {
    shuttingDown = true;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    var worker = workers.forExchange(exchange);
    var method = exchange.getRequestMethod().toString();
    if (shuttingDown) {
      exchange.setPersistent(false);
      worker.respondNow(exchange, "shutdown",
          ApiResponse.error(503, "Server is shutting down").withRetryAfter(1));
      return;
    }
    if (method.equals("OPTIONS")) {
      worker.respondNow(exchange, "options", ApiResponse.noContent());
      return;
    }
    var path = rawPath(exchange);
    Router.Match match;
    try {
      match = router.match(method, path);
    } catch (InvalidRequestException e) {
      worker.respondNow(exchange, "invalid", ErrorMapper.toResponse(e));
      return;
    }
    if (match == null) {
      if (noRoute.answer(exchange, worker, method, path)) {
        return;
      }
      worker.respondNow(exchange, "not_found", ApiResponse.error(404,
          "Not found: " + method + " " + path));
      return;
    }
    var route = match.route();
    if (!route.readsBody()) {
      var request = new ApiRequest(method, path, match.params(), exchange.getQueryParameters(),
          exchange.getRequestHeaders(), NO_BODY);
      decorateAndStart(exchange, worker, route, request);
      return;
    }
    readBody(exchange, worker, method, path, match);
  }

  /**
   * Reads the body without blocking, then parks the exchange with its worker. A body that stops
   * arriving is answered 408 once it has been idle for the timeout (Undertow bounds only the
   * headers: a client announcing more bytes than it sends held its connection and exchange for
   * ever); one that breaks off while the client can still read (it half-closed) is answered 400.
   * Either closes the connection.
   */
  private void readBody(HttpServerExchange exchange, IoThreadWorker worker, String method,
      String path, Router.Match match) {
    var route = match.route();
    long declared = exchange.getRequestContentLength();
    if (declared > maxBodyBytes) {
      tooLarge(exchange, worker, route.operation());
      return;
    }
    var body = new BodyBuffer(declared > 0 ? (int) declared : 1024);
    var receiver = exchange.getRequestReceiver();
    receiver.setMaxBufferSize(maxBodyBytes);
    receiver.receivePartialBytes((ex, data, last) -> {
      if (body.failed) {
        return;
      }
      if (body.size + data.length > maxBodyBytes) {
        body.failed = true;
        body.finish();
        ex.getRequestReceiver().pause();
        tooLarge(ex, worker, route.operation());
        return;
      }
      body.append(data);
      if (last) {
        body.finish();
        var request = new ApiRequest(method, path, match.params(), ex.getQueryParameters(),
            ex.getRequestHeaders(), body.bytes());
        decorateAndStart(ex, worker, route, request);
      }
    }, (ex, error) -> {
      if (body.failed) {
        return; // already answered (timed out)
      }
      body.failed = true;
      body.finish();
      if (error instanceof RequestTooBigException) {
        tooLarge(ex, worker, route.operation());
      } else if (!ex.getConnection().isOpen()) {
        // The client went away mid-body: nothing to answer.
        ex.setPersistent(false);
        ex.endExchange();
      } else {
        ex.setPersistent(false);
        worker.respondNow(ex, route.operation(), ApiResponse.error(400,
            "Request body incomplete: " + body.received(declared) + " before it broke off ("
                + undertowMessage(error) + ")"));
      }
    });
    if (!body.done && !body.failed) {
      watchBody(exchange, worker, route.operation(), body, declared, bodyTimeoutNanos);
    }
  }

  /** IO thread: answers 408 once the body has received nothing for the timeout. */
  private void watchBody(HttpServerExchange exchange, IoThreadWorker worker, String operation,
      BodyBuffer body, long declared, long delayNanos) {
    body.timer = exchange.getIoThread().executeAfter(() -> {
      if (body.done || body.failed) {
        return;
      }
      long idle = System.nanoTime() - body.lastArrival;
      if (idle < bodyTimeoutNanos) {
        watchBody(exchange, worker, operation, body, declared, bodyTimeoutNanos - idle);
        return;
      }
      body.failed = true;
      exchange.getRequestReceiver().pause();
      exchange.setPersistent(false);
      worker.respondNow(exchange, operation, ApiResponse.error(408, "Request body incomplete: "
          + body.received(declared) + ", then nothing for "
          + TimeUnit.NANOSECONDS.toMillis(bodyTimeoutNanos) + " ms"));
    }, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Undertow's message without its {@code UT000128: } code. */
  private static String undertowMessage(Throwable error) {
    var m = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return m.replaceFirst("^UT\\d+: ", "");
  }

  /**
   * The decorators, then the route. Either way the exchange is answered inside its dispatch task
   * (or, when a decorator decides later, in a task on the exchange's own IO thread), as a handler
   * always was, so a refusal ends the exchange exactly as a handler's 400 does.
   */
  private void decorateAndStart(HttpServerExchange exchange, IoThreadWorker worker, Route route,
      ApiRequest request) {
    if (decorators.isEmpty()) {
      exchange.dispatch(SameThreadExecutor.INSTANCE, () -> worker.start(exchange, route, request));
      return;
    }
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> decorators.run(route, request,
        exchange.getIoThread(), new DecoratorChain.Outcome() {
          @Override
          public void pass(ApiRequest decided) {
            worker.start(exchange, route, decided);
          }

          @Override
          public void answer(ApiResponse response) {
            worker.respondNow(exchange, route.operation(), response);
          }
        }));
  }

  private static void tooLarge(HttpServerExchange exchange, IoThreadWorker worker, String operation) {
    exchange.setPersistent(false);
    worker.respondNow(exchange, operation, ApiResponse.error(413, "Request body too large"));
  }

  /** The path as sent (still percent-encoded), without scheme and authority. */
  private static String rawPath(HttpServerExchange exchange) {
    var uri = exchange.getRequestURI();
    if (!uri.startsWith("/")) {
      int scheme = uri.indexOf("://");
      int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
      uri = slash < 0 ? "/" : uri.substring(slash);
    }
    return uri;
  }

  /**
   * A growable byte array for one request body, and the state of its idle timeout. Confined to
   * the owning IO thread.
   */
  private static final class BodyBuffer {
    byte[] data;
    int size;
    boolean failed;
    boolean done;
    long lastArrival = System.nanoTime();
    XnioExecutor.Key timer;

    BodyBuffer(int initial) {
      data = new byte[Math.max(16, initial)];
    }

    /** The body is complete or has failed: its timeout is no longer needed. */
    void finish() {
      done = true;
      if (timer != null) {
        timer.remove();
        timer = null;
      }
    }

    /** "10 of 100 bytes received" (without Content-Length: "10 bytes received"). */
    String received(long declared) {
      return size + (declared >= 0 ? " of " + declared : "") + " bytes received";
    }

    void append(byte[] chunk) {
      lastArrival = System.nanoTime();
      if (size + chunk.length > data.length) {
        data = Arrays.copyOf(data, Math.max(size + chunk.length, data.length * 2));
      }
      System.arraycopy(chunk, 0, data, size, chunk.length);
      size += chunk.length;
    }

    byte[] bytes() {
      return size == data.length ? data : Arrays.copyOf(data, size);
    }
  }
}
