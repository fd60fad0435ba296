package io.queen.client;

import io.queen.client.internal.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * A client of Queen's HTTP API: our server, or the original (see {@code docs/client.md} for the
 * calls that use only the original's routes).
 *
 * <pre>{@code
 * try (var queen = QueenClient.builder().urls("http://127.0.0.1:6632").build()) {
 *   queen.queue("orders").partition("customer-1").push("{\"id\":1}");
 *   var messages = queen.queue("orders").batch(10).pop();
 *   queen.ack(messages.get(0), AckStatus.COMPLETED);
 *   try (var consumer = queen.queue("orders").group("billing").batch(10).concurrency(4)
 *       .consume(message -> bill(message.data()))) {
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Threads: every method may be called from any thread. Each operation has a blocking form that
 * waits on the calling thread and an {@code ...Async} form returning a {@link CompletableFuture}
 * that completes on a thread of this client's HTTP pool ({@code queen-client-http-N}); stages
 * chained on it without an executor run there too, so they must not block. Consumers run their
 * handlers on their own threads ({@code queen-client-consumer-<queue>-N}); lease renewals run on
 * {@code queen-client-lease-renewal-N}. All these threads are daemons.
 *
 * <p>Retries: a request is tried up to {@link Builder#retryAttempts} times. A {@code 503} (the server
 * did nothing) is retried after its {@code Retry-After}, a refused connection on the next URL at
 * once; other failures with an unknown outcome are retried with exponential back-off only for
 * requests that are safe to repeat (reads, configure, pushes, which carry a transaction id so a
 * repeat is answered {@code duplicate}). Pops, acks and transactions are not repeated once sent.
 *
 * <p>Closing the client stops its consumers and its threads; a closed client refuses new calls
 * with {@link IllegalStateException}.
 */
public final class QueenClient implements AutoCloseable {
  /** The default request timeout, as the JS client's {@code timeoutMillis}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** The default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The default number of attempts per request, as the JS client's {@code retryAttempts}. */
  public static final int DEFAULT_RETRY_ATTEMPTS = 3;
  /** The default first back-off, doubled at each further attempt, as the JS client's {@code retryDelayMillis}. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
  /** The default longest back-off (also the most a {@code Retry-After} is honoured for). */
  public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(30);
  /** The default time a failed URL is skipped, as the JS client's {@code healthRetryAfterMillis}. */
  public static final Duration DEFAULT_HEALTH_RETRY_AFTER = Duration.ofSeconds(5);

  private final ClientSettings settings;
  private final ExecutorService pool;
  private final Transport transport;
  private final Set<RunningConsumer> consumers = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService renewals; // created on first use, guarded by this
  private volatile boolean closed;

  private QueenClient(ClientSettings settings) {
    this.settings = settings;
    this.pool = Executors.newCachedThreadPool(new NamedThreads("queen-client-http-"));
    this.transport = new Transport(settings, pool);
  }

  /**
   * A builder for a client.
   *
   * @return a new builder, for one thread
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The operations on one queue: push, pop, consume, DLQ, configure, delete.
   *
   * @param name the queue's name
   * @return an immutable builder; its settings are checked when an operation runs
   */
  public QueueBuilder queue(String name) {
    ensureOpen();
    return new QueueBuilder(this, name);
  }

  /**
   * Pops by namespace (and {@link QueueBuilder#task task}) across queues.
   *
   * @param namespace the namespace
   * @return an immutable builder without a queue
   */
  public QueueBuilder namespace(String namespace) {
    ensureOpen();
    return new QueueBuilder(this, null).namespace(namespace);
  }

  /**
   * A transaction: acks and pushes committed together or not at all.
   *
   * @return a new builder, for one thread
   */
  public TransactionBuilder transaction() {
    ensureOpen();
    return new TransactionBuilder(this);
  }

  /**
   * The administrative calls.
   *
   * @return the admin facade (stateless; any thread)
   */
  public Admin admin() {
    ensureOpen();
    return new Admin(this);
  }

  /**
   * Settles a message as completed (blocking).
   *
   * @param message a message from a pop
   * @return the server's answer
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public AckResult ack(Message message) {
    return ack(message, AckStatus.COMPLETED, null);
  }

  /**
   * Settles a message (blocking).
   *
   * @param message a message from a pop
   * @param status how to settle it
   * @return the server's answer
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public AckResult ack(Message message, AckStatus status) {
    return ack(message, status, null);
  }

  /**
   * Settles a message with an error text (blocking).
   *
   * @param message a message from a pop
   * @param status how to settle it
   * @param error why it failed (stored with a failure or dead letter), or {@code null}
   * @return the server's answer
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public AckResult ack(Message message, AckStatus status, String error) {
    return Wire.await(ackAsync(message, status, error));
  }

  /**
   * Settles a message as failed (blocking): it is redelivered until the retry limit, then dead-lettered.
   *
   * @param message a message from a pop
   * @param error why it failed, or {@code null}
   * @return the server's answer
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public AckResult nack(Message message, String error) {
    return ack(message, AckStatus.FAILED, error);
  }

  /**
   * Settles a message; completes on the HTTP pool.
   *
   * @param message a message from a pop
   * @param status how to settle it
   * @param error why it failed, or {@code null}
   * @return the server's answer; fails with {@link QueenClientException}
   */
  public CompletableFuture<AckResult> ackAsync(Message message, AckStatus status, String error) {
    ensureOpen();
    var body = ackEntry(message, status, error);
    if (message.consumerGroup() != null) {
      body.put("consumerGroup", message.consumerGroup());
    }
    return transport.send("POST", "/api/v1/ack", Json.write(body), Transport.Safety.ONCE, settings.requestTimeout())
        .thenApply(r -> {
          var results = Wire.ackResults(r.json());
          return results.isEmpty() ? new AckResult(message.transactionId(), true, null, false) : results.get(0);
        });
  }

  /**
   * Settles several messages in one request (blocking); they must belong to one consumer group.
   *
   * @param messages messages from pops
   * @param status how to settle them
   * @return the server's answers, in order
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public List<AckResult> ack(List<Message> messages, AckStatus status) {
    var statuses = new ArrayList<AckStatus>();
    messages.forEach(m -> statuses.add(status));
    return Wire.await(ackBatchAsync(messages, statuses, null));
  }

  /**
   * Extends a lease (blocking) by 60 seconds from now (the server's default).
   *
   * @param leaseId the {@link Message#leaseId()} of a popped message
   * @return the server's answer
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public LeaseRenewal renew(String leaseId) {
    return Wire.await(renewAsync(leaseId, 0));
  }

  /**
   * Extends a lease; completes on the HTTP pool.
   *
   * @param leaseId the {@link Message#leaseId()} of a popped message
   * @param seconds how long from now, or {@code 0} for the server's default (60)
   * @return the server's answer; fails with {@link QueenClientException}
   */
  public CompletableFuture<LeaseRenewal> renewAsync(String leaseId, int seconds) {
    ensureOpen();
    if (leaseId == null || leaseId.isEmpty()) {
      throw new IllegalArgumentException("leaseId is required to renew a lease (an auto-acked pop has none)");
    }
    if (seconds < 0) {
      throw new IllegalArgumentException("lease extension must be zero or positive seconds, was " + seconds);
    }
    var body = seconds == 0 ? "{}" : "{\"seconds\":" + seconds + "}";
    return transport.send("POST", "/api/v1/lease/" + Wire.encode(leaseId) + "/extend", body,
        Transport.Safety.IDEMPOTENT, settings.requestTimeout()).thenApply(r -> {
          var answer = r.json();
          var list = Wire.objects(answer);
          var m = list.isEmpty() ? (answer instanceof Map<?, ?> one ? one : Map.of()) : list.get(0);
          var success = m.containsKey("success") ? Wire.bool(m, "success") : Wire.bool(m, "extended");
          return new LeaseRenewal(leaseId, success, Wire.str(m, "error"), Wire.str(m, "expiresAt"));
        });
  }

  /**
   * Stops every consumer of this client (letting running handlers finish and ack, for at most their
   * close timeout) and the client's threads. Idempotent; any thread.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (var c : List.copyOf(consumers)) {
      c.close();
    }
    synchronized (this) {
      if (renewals != null) {
        renewals.shutdownNow();
      }
    }
    pool.shutdown();
  }

  // ---- for the builders of this package

  Transport transport() {
    return transport;
  }

  ClientSettings settings() {
    return settings;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this QueenClient is closed");
    }
  }

  synchronized ScheduledExecutorService renewals() {
    if (renewals == null) {
      renewals = Executors.newSingleThreadScheduledExecutor(new NamedThreads("queen-client-lease-renewal-"));
    }
    return renewals;
  }

  void register(RunningConsumer c) {
    consumers.add(c);
  }

  void unregister(RunningConsumer c) {
    consumers.remove(c);
  }

  static Map<String, Object> ackEntry(Message message, AckStatus status, String error) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(status, "status");
    var problems = new ArrayList<String>();
    if (message.transactionId() == null) {
      problems.add("message has no transactionId");
    }
    if (message.partitionId() == null) {
      problems.add("message has no partitionId (needed so that the right message is settled)");
    }
    Wire.check("cannot ack message " + message.id(), problems);
    var body = new LinkedHashMap<String, Object>();
    body.put("transactionId", message.transactionId());
    body.put("partitionId", message.partitionId());
    body.put("status", status.wireName());
    if (error != null) {
      body.put("error", error);
    }
    if (message.leaseId() != null && !message.leaseId().isEmpty()) {
      body.put("leaseId", message.leaseId());
    }
    return body;
  }

  CompletableFuture<List<AckResult>> ackBatchAsync(List<Message> messages, List<AckStatus> statuses,
      List<String> errors) {
    ensureOpen();
    if (messages.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    var entries = new ArrayList<Object>();
    String group = messages.get(0).consumerGroup();
    for (int i = 0; i < messages.size(); i++) {
      var m = messages.get(i);
      if (!Objects.equals(group, m.consumerGroup())) {
        throw new IllegalArgumentException("messages of one ack must belong to one consumer group: messages[0] is "
            + group + ", messages[" + i + "] is " + m.consumerGroup());
      }
      entries.add(ackEntry(m, statuses.get(i), errors == null ? null : errors.get(i)));
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("acknowledgments", entries);
    if (group != null) {
      body.put("consumerGroup", group);
    }
    return transport.send("POST", "/api/v1/ack/batch", Json.write(body), Transport.Safety.ONCE,
        settings.requestTimeout()).thenApply(r -> Wire.ackResults(r.json()));
  }

  /**
   * Collects a client's settings; not thread-safe. {@link #build()} checks them all and reports
   * every invalid one at once.
   */
  public static final class Builder {
    private final List<String> urls = new ArrayList<>();
    private Supplier<String> token = () -> null;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int retryAttempts = DEFAULT_RETRY_ATTEMPTS;
    private Duration retryDelay = DEFAULT_RETRY_DELAY;
    private Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;
    private Duration healthRetryAfter = DEFAULT_HEALTH_RETRY_AFTER;
    private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The servers' base URLs ({@code http://host:6632} or {@code https://...}), added to any given before.
     *
     * @param urls one or more base URLs
     * @return this builder
     */
    public Builder urls(String... urls) {
      this.urls.addAll(List.of(urls));
      return this;
    }

    /**
     * A fixed bearer token sent as {@code Authorization: Bearer <token>} on every request.
     *
     * @param token a JWT, or {@code null} for none
     * @return this builder
     */
    public Builder bearerToken(String token) {
      this.token = () -> token;
      return this;
    }

    /**
     * A token source asked before every attempt (on the calling thread for the first, on the HTTP
     * pool for retries), for tokens that are refreshed; it must be thread-safe and quick.
     *
     * @param supplier returns a JWT, or {@code null} for none
     * @return this builder
     */
    public Builder bearerToken(Supplier<String> supplier) {
      this.token = supplier;
      return this;
    }

    /**
     * The most time to open a connection.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * The most time a request may take (a long poll gets its wait timeout plus five seconds instead).
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * How many times a request is tried in all (1 = no retry), as the JS client's {@code retryAttempts}.
     *
     * @param attempts 1 to 100
     * @return this builder
     */
    public Builder retryAttempts(int attempts) {
      this.retryAttempts = attempts;
      return this;
    }

    /**
     * The first back-off (doubled at each further attempt) and its cap, which also caps a {@code Retry-After}.
     *
     * @param first zero or positive
     * @param max at least {@code first}
     * @return this builder
     */
    public Builder retryDelay(Duration first, Duration max) {
      this.retryDelay = first;
      this.maxRetryDelay = max;
      return this;
    }

    /**
     * How long a URL that failed is skipped (when there are others).
     *
     * @param interval zero or positive
     * @return this builder
     */
    public Builder healthRetryAfter(Duration interval) {
      this.healthRetryAfter = interval;
      return this;
    }

    /**
     * How a URL is picked for each request.
     *
     * @param strategy round robin (the default) or failover
     * @return this builder
     */
    public Builder loadBalancing(LoadBalancing strategy) {
      this.loadBalancing = strategy;
      return this;
    }

    /**
     * A header sent with every request (after the client's own).
     *
     * @param name the header's name
     * @param value its value
     * @return this builder
     */
    public Builder header(String name, String value) {
      this.headers.put(name, value);
      return this;
    }

    /**
     * Checks every setting and starts a client (its HTTP pool's threads start on demand).
     *
     * @return the client; close it when done
     * @throws IllegalArgumentException naming every invalid setting with its value
     */
    public QueenClient build() {
      var problems = new ArrayList<String>();
      var clean = new ArrayList<String>();
      if (urls.isEmpty()) {
        problems.add("at least one server URL is required (urls)");
      }
      for (int i = 0; i < urls.size(); i++) {
        var u = urls.get(i);
        try {
          var uri = URI.create(u == null ? "" : u);
          if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            problems.add("urls[" + i + "] must be an http or https URL with a host, was '" + u + "'");
          } else {
            clean.add(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
          }
        } catch (IllegalArgumentException e) {
          problems.add("urls[" + i + "] is not a URL, was '" + u + "'");
        }
      }
      positive(problems, "connectTimeout", connectTimeout);
      positive(problems, "requestTimeout", requestTimeout);
      if (retryAttempts < 1 || retryAttempts > 100) {
        problems.add("retryAttempts must be between 1 and 100, was " + retryAttempts);
      }
      notNegative(problems, "retryDelay", retryDelay);
      notNegative(problems, "maxRetryDelay", maxRetryDelay);
      if (retryDelay != null && maxRetryDelay != null && maxRetryDelay.compareTo(retryDelay) < 0) {
        problems.add("maxRetryDelay must be at least retryDelay (" + retryDelay.toMillis() + " ms), was "
            + maxRetryDelay.toMillis() + " ms");
      }
      notNegative(problems, "healthRetryAfter", healthRetryAfter);
      if (token == null) {
        problems.add("the bearer token supplier must not be null");
      }
      if (loadBalancing == null) {
        problems.add("loadBalancing must not be null");
      }
      for (var h : headers.entrySet()) {
        if (h.getKey() == null || h.getKey().isBlank() || h.getValue() == null) {
          problems.add("header '" + h.getKey() + "' needs a name and a value");
        }
      }
      Wire.check("invalid QueenClient settings", problems);
      return new QueenClient(new ClientSettings(List.copyOf(clean), token, connectTimeout, requestTimeout,
          retryAttempts, retryDelay, maxRetryDelay, healthRetryAfter, loadBalancing, Map.copyOf(headers)));
    }

    private static void positive(List<String> problems, String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        problems.add(name + " must be positive, was " + (d == null ? "null" : d.toMillis() + " ms"));
      }
    }

    private static void notNegative(List<String> problems, String name, Duration d) {
      if (d == null || d.isNegative()) {
        problems.add(name + " must be zero or positive, was " + (d == null ? "null" : d.toMillis() + " ms"));
      }
    }
  }
}
