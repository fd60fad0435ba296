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

/**
 * The root handler, on the request's IO thread, and the head of the chain intake → decorators →
 * route: shutdown refusal, CORS preflight, routing, 404, the asynchronous body read (with its size
 * limit), then the {@link DecoratorChain}, and finally the hand-off of the parked exchange to the
 * owning {@link IoThreadWorker}, which runs the route's handler. Never blocks and never runs SQL.
 * Thread-safe (stateless but for the shutdown flag).
 */
public final class RequestIntake implements HttpHandler {
  /** Shared by every request without a body; a zero-length array cannot be written to. */
  private static final byte[] NO_BODY = new byte[0];

  private final Router router;
  private final DecoratorChain decorators;
  private final IoThreadWorkers workers;
  private final int maxBodyBytes;
  private final long requestTimeoutMs;
  private volatile boolean shuttingDown;

  /**
   * @param requestTimeoutMs how long a request's body may take to arrive (the head's bound is
   *     Undertow's {@code REQUEST_PARSE_TIMEOUT}): a slower upload gets 408 and is closed
   */
  public RequestIntake(Router router, DecoratorChain decorators, IoThreadWorkers workers,
      int maxBodyBytes, long requestTimeoutMs) {
    this.router = router;
    this.decorators = decorators;
    this.workers = workers;
    this.maxBodyBytes = maxBodyBytes;
    this.requestTimeoutMs = requestTimeoutMs;
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

  /** Reads the body without blocking, then parks the exchange with its worker. */
  private void readBody(HttpServerExchange exchange, IoThreadWorker worker, String method,
      String path, Router.Match match) {
    var route = match.route();
    long declared = exchange.getRequestContentLength();
    if (declared > maxBodyBytes) {
      tooLarge(exchange, worker, route.operation());
      return;
    }
    var body = new BodyBuffer(declared > 0 ? (int) declared : 1024);
    // the timer runs on this IO thread, as the receiver's callbacks do: no race on body.failed
    var deadline = exchange.getIoThread().executeAfter(() -> {
      if (!body.failed && !body.complete) {
        body.failed = true;
        exchange.setPersistent(false);
        worker.respondNow(exchange, route.operation(), ApiResponse.error(408,
            "Request body not received within " + requestTimeoutMs + " ms"));
      }
    }, requestTimeoutMs, TimeUnit.MILLISECONDS);
    var receiver = exchange.getRequestReceiver();
    receiver.setMaxBufferSize(maxBodyBytes);
    receiver.receivePartialBytes((ex, data, last) -> {
      if (body.failed) {
        return;
      }
      if (body.size + data.length > maxBodyBytes) {
        body.failed = true;
        deadline.remove();
        ex.getRequestReceiver().pause();
        tooLarge(ex, worker, route.operation());
        return;
      }
      body.append(data);
      if (last) {
        body.complete = true;
        deadline.remove();
        var request = new ApiRequest(method, path, match.params(), ex.getQueryParameters(),
            ex.getRequestHeaders(), body.bytes());
        decorateAndStart(ex, worker, route, request);
      }
    }, (ex, error) -> {
      deadline.remove();
      if (body.failed) {
        return;
      }
      body.failed = true;
      if (error instanceof RequestTooBigException) {
        tooLarge(ex, worker, route.operation());
      } else {
        // The client went away mid-body: nothing to answer.
        ex.setPersistent(false);
        ex.endExchange();
      }
    });
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

  /** A growable byte array for one request body. Confined to the owning IO thread. */
  private static final class BodyBuffer {
    byte[] data;
    int size;
    boolean failed;
    boolean complete;

    BodyBuffer(int initial) {
      data = new byte[Math.max(16, initial)];
    }

    void append(byte[] chunk) {
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
