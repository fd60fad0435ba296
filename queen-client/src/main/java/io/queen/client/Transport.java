package io.queen.client;

import io.queen.client.internal.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Sends requests with retries, back-off and failover across the configured URLs.
 *
 * <p>Concurrency: thread-safe; any thread may call {@link #send}. Attempts after the first, and the
 * completion of every returned future, run on the HTTP pool ({@code queen-client-http-N}).
 *
 * <p>Failure: what may be retried depends on {@link Safety}. A 503 means the server did nothing
 * (its queues were full, it was shutting down or the database was away), and a refused connection
 * means nothing was sent, so both are retried for every request. Anything else that leaves the
 * outcome unknown (a timeout, a reset, a 502/504 from a proxy) is retried only for
 * {@link Safety#IDEMPOTENT} requests: a second pop could lease a second batch while the first one's
 * answer was lost (it would only come back when its lease expires), and a second ack of a released
 * lease is refused although the first one worked.
 */
final class Transport {
  /** Whether a request may be sent again when its outcome is unknown. */
  enum Safety {
    /** Sending it twice has the effect of sending it once (reads, pushes with transaction ids, configure). */
    IDEMPOTENT,
    /** Retried only when the server certainly did nothing (503, connection refused). */
    ONCE
  }

  /** A 2xx answer. */
  record Response(int status, String body, String url) {
    Object json() {
      return body == null || body.isEmpty() ? null : Json.parse(body);
    }
  }

  private final ClientSettings settings;
  private final HttpClient http;
  private final ExecutorService pool;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLongArray unhealthyUntil; // System.nanoTime() deadlines, 0 = healthy
  private final LongSupplier nanoTime = System::nanoTime;

  Transport(ClientSettings settings, ExecutorService pool) {
    this.settings = settings;
    this.pool = pool;
    this.unhealthyUntil = new AtomicLongArray(settings.urls().size());
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout())
        .executor(pool)
        .build();
  }

  /**
   * Sends {@code method path} with the JSON {@code body} (or none), trying up to the configured
   * attempts. The future fails with {@link QueenClientException}; cancelling it aborts the exchange
   * in flight.
   */
  CompletableFuture<Response> send(String method, String path, String body, Safety safety, Duration timeout) {
    var result = new CompletableFuture<Response>();
    var call = new Call(method, path, body, safety, timeout, result);
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        var f = call.inFlight.get();
        if (f != null) {
          f.cancel(true);
        }
      }
    });
    try {
      attempt(call, 1);
    } catch (RuntimeException e) { // a token supplier that throws, say
      result.completeExceptionally(e);
    }
    return result;
  }

  private final class Call {
    final String method;
    final String path;
    final String body;
    final Safety safety;
    final Duration timeout;
    final CompletableFuture<Response> result;
    final Set<Integer> tried = new HashSet<>();
    final AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>();

    Call(String method, String path, String body, Safety safety, Duration timeout,
        CompletableFuture<Response> result) {
      this.method = method;
      this.path = path;
      this.body = body;
      this.safety = safety;
      this.timeout = timeout;
      this.result = result;
    }
  }

  private void attempt(Call call, int attemptNo) {
    if (call.result.isDone()) {
      return;
    }
    int index = pick(call.tried);
    call.tried.add(index);
    var base = settings.urls().get(index);
    var b = HttpRequest.newBuilder(URI.create(base + call.path))
        .timeout(call.timeout)
        .header("Accept", "application/json");
    for (Map.Entry<String, String> h : settings.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    var token = settings.token().get();
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    if (call.body != null) {
      b.header("Content-Type", "application/json");
      b.method(call.method, HttpRequest.BodyPublishers.ofString(call.body, StandardCharsets.UTF_8));
    } else {
      b.method(call.method, HttpRequest.BodyPublishers.noBody());
    }
    var f = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    call.inFlight.set(f);
    if (call.result.isCancelled()) {
      f.cancel(true);
      return;
    }
    f.whenComplete((resp, err) -> {
      try {
        if (err != null) {
          onFailure(call, attemptNo, index, base, unwrap(err));
        } else {
          onResponse(call, attemptNo, index, base, resp);
        }
      } catch (RuntimeException e) {
        call.result.completeExceptionally(e);
      }
    });
  }

  private void onFailure(Call call, int attemptNo, int index, String base, Throwable cause) {
    if (call.result.isDone()) {
      return;
    }
    markUnhealthy(index);
    boolean notSent = isConnectFailure(cause);
    boolean retry = notSent || (call.safety == Safety.IDEMPOTENT && cause instanceof IOException);
    var failure = new QueenClientException(call.method, call.path, base, 0, null,
        call.method + " " + call.path + " on " + base + ": "
            + (notSent ? "cannot connect" : "no answer") + " (" + cause + ") after "
            + attemptNo + " of " + settings.attempts() + " attempts", cause);
    if (!retry || attemptNo >= settings.attempts()) {
      call.result.completeExceptionally(failure);
      return;
    }
    // a URL not tried yet is worth trying at once; the same servers again only after a back-off
    long delay = notSent && call.tried.size() < settings.urls().size() ? 0 : backoff(attemptNo);
    later(call, attemptNo + 1, delay);
  }

  private void onResponse(Call call, int attemptNo, int index, String base, HttpResponse<String> resp) {
    int status = resp.statusCode();
    if (status >= 200 && status < 300) {
      unhealthyUntil.set(index, 0);
      call.result.complete(new Response(status, resp.body(), base));
      return;
    }
    var error = errorOf(resp.body());
    boolean unavailable = status == 503;
    boolean gateway = status == 502 || status == 504;
    if (unavailable || gateway) {
      markUnhealthy(index);
    }
    boolean retry = unavailable || (gateway && call.safety == Safety.IDEMPOTENT);
    if (!retry || attemptNo >= settings.attempts()) {
      call.result.completeExceptionally(QueenClientException.http(call.method, call.path, base, status, error));
      return;
    }
    long delay = backoff(attemptNo);
    var retryAfter = resp.headers().firstValue("Retry-After");
    if (retryAfter.isPresent()) {
      try {
        delay = Math.min(TimeUnit.SECONDS.toMillis(Long.parseLong(retryAfter.get().trim())),
            settings.maxRetryDelay().toMillis());
      } catch (NumberFormatException ignored) {
        // an HTTP date: our server and the original send seconds; keep the back-off
      }
    }
    later(call, attemptNo + 1, delay);
  }

  private void later(Call call, int attemptNo, long delayMillis) {
    Runnable run = () -> {
      try {
        attempt(call, attemptNo);
      } catch (RuntimeException e) {
        call.result.completeExceptionally(e);
      }
    };
    if (delayMillis <= 0) {
      pool.execute(run);
    } else {
      CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS, pool).execute(run);
    }
  }

  private long backoff(int attemptNo) {
    long base = settings.retryDelay().toMillis();
    long d = base << Math.min(attemptNo - 1, 20);
    return Math.min(d, settings.maxRetryDelay().toMillis());
  }

  /** The next URL: healthy and not yet tried by this call, else untried, else any. */
  private int pick(Set<Integer> tried) {
    int n = settings.urls().size();
    if (n == 1) {
      return 0;
    }
    long now = nanoTime.getAsLong();
    int start = settings.loadBalancing() == LoadBalancing.ROUND_ROBIN ? Math.floorMod(next.getAndIncrement(), n) : 0;
    int fallback = -1;
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      if (tried.contains(i)) {
        continue;
      }
      long until = unhealthyUntil.get(i);
      if (until == 0 || now - until >= 0) {
        return i;
      }
      if (fallback < 0) {
        fallback = i;
      }
    }
    return fallback >= 0 ? fallback : start;
  }

  private void markUnhealthy(int index) {
    if (settings.urls().size() > 1) {
      long until = nanoTime.getAsLong() + settings.healthRetryAfter().toNanos();
      unhealthyUntil.set(index, until == 0 ? 1 : until);
    }
  }

  static String errorOf(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      if (Json.parse(body) instanceof Map<?, ?> m && m.get("error") instanceof String s) {
        return s;
      }
    } catch (IllegalArgumentException notJson) {
      return body.length() > 200 ? body.substring(0, 200) : body;
    }
    return null;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isConnectFailure(Throwable t) {
    for (var c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  List<String> urls() {
    return settings.urls();
  }
}
