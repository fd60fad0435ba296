package io.queen.client;

import io.queen.client.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The operations on one queue (or, without a queue, pops by namespace and task), with the JS
 * client's grammar: {@code queue("orders").partition("p").push(...)},
 * {@code queue("orders").group("billing").batch(10).concurrency(4).consume(handler)}.
 *
 * <p>Immutable: every setter returns a new builder, so one may be shared by threads and reused.
 * Settings are checked when an operation runs, which reports every invalid one at once
 * ({@link IllegalArgumentException}).
 *
 * <p>Defaults: {@code pop()}: batch 1, no waiting, 30 s timeout when waiting, no server-side
 * auto-ack. {@code consume}: batch 1, long polls of 30 s, one thread, the client acks by the
 * handler's outcome. Pushes go to partition {@code Default} unless {@link #partition} is set; pops
 * without a partition take any partition of the queue.
 */
public final class QueueBuilder {
  /** The largest batch the server accepts. */
  public static final int MAX_BATCH = 10_000;
  /** The default long-poll timeout, as the JS client's. */
  public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(30);

  private final QueenClient client;
  private final String queue;
  private String partition;
  private String namespace;
  private String task;
  private String group;
  private int batch = 1;
  private Boolean wait;
  private long timeoutMillis = DEFAULT_WAIT_TIMEOUT.toMillis();
  private Boolean autoAck;
  private int partitions = 1;
  private String subscriptionMode;
  private String subscriptionFrom;
  private int concurrency = 1;
  private boolean renewLease;
  private long renewLeaseIntervalMillis;
  private int renewLeaseSeconds;
  private QueueConfig config;

  QueueBuilder(QueenClient client, String queue) {
    this.client = client;
    this.queue = queue;
  }

  private QueueBuilder copy() {
    var c = new QueueBuilder(client, queue);
    c.partition = partition;
    c.namespace = namespace;
    c.task = task;
    c.group = group;
    c.batch = batch;
    c.wait = wait;
    c.timeoutMillis = timeoutMillis;
    c.autoAck = autoAck;
    c.partitions = partitions;
    c.subscriptionMode = subscriptionMode;
    c.subscriptionFrom = subscriptionFrom;
    c.concurrency = concurrency;
    c.renewLease = renewLease;
    c.renewLeaseIntervalMillis = renewLeaseIntervalMillis;
    c.renewLeaseSeconds = renewLeaseSeconds;
    c.config = config;
    return c;
  }

  /**
   * The partition to push to and pop from.
   *
   * @param name the partition's name (default {@code Default} for pushes, any for pops)
   * @return a new builder
   */
  public QueueBuilder partition(String name) {
    var c = copy();
    c.partition = name;
    return c;
  }

  /**
   * The namespace, for {@link #create()} and for pops across queues.
   *
   * @param name the namespace
   * @return a new builder
   */
  public QueueBuilder namespace(String name) {
    var c = copy();
    c.namespace = name;
    return c;
  }

  /**
   * The task, for {@link #create()} and for pops across queues.
   *
   * @param name the task
   * @return a new builder
   */
  public QueueBuilder task(String name) {
    var c = copy();
    c.task = name;
    return c;
  }

  /**
   * The consumer group to pop for (fan-out: every group gets every message); none = queue mode.
   *
   * @param name the group's name
   * @return a new builder
   */
  public QueueBuilder group(String name) {
    var c = copy();
    c.group = name;
    return c;
  }

  /**
   * The most messages per pop.
   *
   * @param size 1 to {@value #MAX_BATCH}
   * @return a new builder
   */
  public QueueBuilder batch(int size) {
    var c = copy();
    c.batch = size;
    return c;
  }

  /**
   * Whether a pop long-polls until messages arrive or the {@link #timeout} passes (default: no for
   * {@code pop()}, yes for consumers).
   *
   * @param enabled true to wait
   * @return a new builder
   */
  public QueueBuilder wait(boolean enabled) {
    var c = copy();
    c.wait = enabled;
    return c;
  }

  /**
   * The long-poll timeout.
   *
   * @param timeout positive, at most the server's {@code MAX_TIMEOUT}
   * @return a new builder
   */
  public QueueBuilder timeout(Duration timeout) {
    var c = copy();
    c.timeoutMillis = timeout == null ? -1 : timeout.toMillis();
    return c;
  }

  /**
   * For {@code pop()}: whether the server settles messages as it delivers them (no lease, no ack
   * needed). For consumers: whether the client acks by the handler's outcome (default true); with
   * false the handler acks itself through {@link QueenClient#ack}.
   *
   * @param enabled see above
   * @return a new builder
   */
  public QueueBuilder autoAck(boolean enabled) {
    var c = copy();
    c.autoAck = enabled;
    return c;
  }

  /**
   * Claim up to this many partitions per pop, sharing the batch and one lease (queue pops only).
   *
   * @param count 1 to 1000
   * @return a new builder
   */
  public QueueBuilder partitions(int count) {
    var c = copy();
    c.partitions = count;
    return c;
  }

  /**
   * Where a new consumer group starts: {@code all}, {@code new} or {@code new-only}.
   *
   * @param mode the mode
   * @return a new builder
   */
  public QueueBuilder subscriptionMode(String mode) {
    var c = copy();
    c.subscriptionMode = mode;
    return c;
  }

  /**
   * Where a new consumer group starts: {@code now} or an ISO-8601 timestamp.
   *
   * @param from the start
   * @return a new builder
   */
  public QueueBuilder subscriptionFrom(String from) {
    var c = copy();
    c.subscriptionFrom = from;
    return c;
  }

  /**
   * How many consumer threads pop and handle in parallel (each holds its own partition lease).
   *
   * @param threads 1 to 1000
   * @return a new builder
   */
  public QueueBuilder concurrency(int threads) {
    var c = copy();
    c.concurrency = threads;
    return c;
  }

  /**
   * Whether a consumer extends the lease of the batch being handled every {@code intervalMillis},
   * by 60 seconds from then, until the handler returns (the JS client's {@code renewLease}); for
   * handlers slower than the queue's {@code leaseTime}.
   *
   * @param enabled true to renew
   * @param intervalMillis positive, well below the queue's lease time
   * @return a new builder
   */
  public QueueBuilder renewLease(boolean enabled, long intervalMillis) {
    var c = copy();
    c.renewLease = enabled;
    c.renewLeaseIntervalMillis = intervalMillis;
    return c;
  }

  /**
   * The options {@link #create()} sends.
   *
   * @param config the queue's options
   * @return a new builder
   */
  public QueueBuilder config(QueueConfig config) {
    var c = copy();
    c.config = config;
    return c;
  }

  // ---- queue configuration

  /**
   * Creates the queue or replaces its configuration (blocking) with {@link #config} (else the
   * defaults of {@link QueueConfig}), namespace and task.
   *
   * @throws QueenClientException when the server refused it or could not be reached
   */
  public void create() {
    requireQueue("create");
    var body = new LinkedHashMap<String, Object>();
    body.put("queue", queue);
    if (namespace != null) {
      body.put("namespace", namespace);
    }
    if (task != null) {
      body.put("task", task);
    }
    body.put("options", (config == null ? QueueConfig.defaults() : config).options());
    Wire.await(client.transport().send("POST", "/api/v1/configure", Json.write(body),
        Transport.Safety.IDEMPOTENT, client.settings().requestTimeout()));
  }

  /**
   * Deletes the queue with its messages (blocking).
   *
   * @return whether it existed (true where the server does not say)
   * @throws QueenClientException when the server refused it or could not be reached
   */
  public boolean delete() {
    requireQueue("delete");
    var r = Wire.await(client.transport().send("DELETE", "/api/v1/resources/queues/" + Wire.encode(queue), null,
        Transport.Safety.IDEMPOTENT, client.settings().requestTimeout()));
    return !(r.json() instanceof Map<?, ?> m) || !Boolean.FALSE.equals(m.get("existed"));
  }

  // ---- push

  /**
   * Pushes payloads given as JSON text (blocking), each with a client-generated transaction id.
   *
   * @param jsonPayloads one or more JSON values ({@code "{\"id\":1}"}, {@code "\"text\""})
   * @return one result per payload, in order (a refused item is a {@link PushStatus#FAILED} result)
   * @throws IllegalArgumentException when a payload is not JSON (naming which)
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public List<PushResult> push(String... jsonPayloads) {
    return Wire.await(pushAsync(jsonPayloads));
  }

  /**
   * Pushes items (blocking).
   *
   * @param items one or more items
   * @return one result per item, in order
   * @throws IllegalArgumentException when an item is invalid (naming which)
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public List<PushResult> push(List<PushItem> items) {
    return Wire.await(pushAsync(items));
  }

  /**
   * Pushes payloads given as JSON text; completes on the HTTP pool.
   *
   * @param jsonPayloads one or more JSON values
   * @return one result per payload; fails with {@link QueenClientException}
   * @throws IllegalArgumentException when a payload is not JSON (at once, on the calling thread)
   */
  public CompletableFuture<List<PushResult>> pushAsync(String... jsonPayloads) {
    var items = new ArrayList<PushItem>();
    for (var p : jsonPayloads) {
      items.add(PushItem.of(p));
    }
    return pushAsync(items);
  }

  /**
   * Pushes items; completes on the HTTP pool. Retried like any safe request: every item carries a
   * transaction id, so an item stored by an attempt whose answer was lost is answered
   * {@link PushStatus#DUPLICATE} by the next.
   *
   * @param items one or more items
   * @return one result per item; fails with {@link QueenClientException}
   * @throws IllegalArgumentException when an item is invalid (at once, on the calling thread)
   */
  public CompletableFuture<List<PushResult>> pushAsync(List<PushItem> items) {
    client.ensureOpen();
    var problems = new ArrayList<String>();
    if (queue == null || queue.isEmpty()) {
      problems.add("a queue name is required to push");
    }
    if (items == null || items.isEmpty()) {
      problems.add("at least one item is required to push");
    }
    var wireItems = items == null ? List.<Object>of() : pushItems(queue, partition, items, problems);
    Wire.check("cannot push", problems);
    var body = Json.write(Map.of("items", wireItems));
    return client.transport().send("POST", "/api/v1/push", body, Transport.Safety.IDEMPOTENT,
        client.settings().requestTimeout()).thenApply(r -> Wire.pushResults(r.json()));
  }

  /** The wire items of a push (also of a transaction's push), every problem added to {@code problems}. */
  static List<Object> pushItems(String queue, String partition, List<PushItem> items, List<String> problems) {
    var out = new ArrayList<Object>();
    for (int i = 0; i < items.size(); i++) {
      var item = items.get(i);
      if (item == null) {
        problems.add("items[" + i + "] is null");
        continue;
      }
      if (item.payload() == null) {
        problems.add("items[" + i + "].payload is null (the JSON null is the text \"null\")");
        continue;
      }
      try {
        Json.parse(item.payload());
      } catch (IllegalArgumentException e) {
        problems.add("items[" + i + "].payload is " + e.getMessage());
        continue;
      }
      var m = new LinkedHashMap<String, Object>();
      m.put("queue", queue);
      m.put("partition", partition == null ? "Default" : partition);
      m.put("payload", new Json.Raw(item.payload()));
      m.put("transactionId", item.transactionId() == null ? UUID.randomUUID().toString() : item.transactionId());
      if (item.traceId() != null) {
        m.put("traceId", item.traceId());
      }
      out.add(m);
    }
    return out;
  }

  // ---- pop

  /**
   * Pops messages (blocking; with {@link #wait} up to the timeout).
   *
   * @return the messages, empty when there were none
   * @throws IllegalArgumentException when a setting is invalid (naming every one)
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public List<Message> pop() {
    return Wire.await(popAsync());
  }

  /**
   * Pops messages; completes on the HTTP pool. Not repeated once sent, except after a 503: a
   * repeat could lease a second batch while the first one's answer was lost, and those messages
   * would wait for their lease to expire. Cancelling the future aborts the request; the server then
   * releases whatever it had leased for it.
   *
   * @return the messages; fails with {@link QueenClientException}
   * @throws IllegalArgumentException when a setting is invalid (at once, on the calling thread)
   */
  public CompletableFuture<List<Message>> popAsync() {
    client.ensureOpen();
    var problems = new ArrayList<String>();
    checkPop(problems);
    Wire.check("invalid pop settings", problems);
    boolean waiting = Boolean.TRUE.equals(wait);
    return popRequest(waiting, Boolean.TRUE.equals(autoAck));
  }

  CompletableFuture<List<Message>> popRequest(boolean waiting, boolean serverAutoAck) {
    var path = new StringBuilder();
    if (queue != null) {
      path.append("/api/v1/pop/queue/").append(Wire.encode(queue));
      if (partition != null) {
        path.append("/partition/").append(Wire.encode(partition));
      }
    } else {
      path.append("/api/v1/pop");
    }
    path.append("?batch=").append(batch).append("&wait=").append(waiting).append("&timeout=").append(timeoutMillis);
    param(path, "consumerGroup", group);
    if (queue == null) {
      param(path, "namespace", namespace);
      param(path, "task", task);
    }
    if (serverAutoAck) {
      path.append("&autoAck=true");
    }
    param(path, "subscriptionMode", subscriptionMode);
    param(path, "subscriptionFrom", subscriptionFrom);
    if (partitions > 1) {
      path.append("&partitions=").append(partitions);
    }
    var timeout = waiting ? Duration.ofMillis(timeoutMillis).plusSeconds(5) : client.settings().requestTimeout();
    var g = group;
    var sent = client.transport().send("GET", path.toString(), null, Transport.Safety.ONCE, timeout);
    var popped = sent.thenApply(r -> Wire.messages(r.json(), g));
    // cancelling the pop must abort its exchange: a long poll left parked on the server would
    // take the next message for nobody, leased until the lease expires (the server hands a
    // result back only when it sees the connection close)
    popped.whenComplete((r, e) -> {
      if (popped.isCancelled()) {
        sent.cancel(true);
      }
    });
    return popped;
  }

  private static void param(StringBuilder sb, String name, String value) {
    if (value != null) {
      sb.append('&').append(name).append('=').append(Wire.encode(value));
    }
  }

  private void checkPop(List<String> problems) {
    if ((queue == null || queue.isEmpty()) && namespace == null && task == null) {
      problems.add("a queue, namespace or task is required to pop");
    }
    if (batch < 1 || batch > MAX_BATCH) {
      problems.add("batch must be between 1 and " + MAX_BATCH + ", was " + batch);
    }
    if (timeoutMillis < 0) {
      problems.add("timeout must be zero or positive, was " + timeoutMillis + " ms");
    }
    if (partitions < 1 || partitions > 1000) {
      problems.add("partitions must be between 1 and 1000, was " + partitions);
    }
    if (partitions > 1 && queue == null) {
      problems.add("partitions needs a queue (namespace and task pops claim one partition)");
    }
    if (group != null && group.isEmpty()) {
      problems.add("group must not be empty (leave it unset for queue mode)");
    }
    if (subscriptionMode != null && !List.of("all", "new", "new-only", "from_beginning").contains(subscriptionMode)) {
      problems.add("subscriptionMode must be one of all, new, new-only; was '" + subscriptionMode + "'");
    }
  }

  // ---- consume

  /**
   * Starts a consumer handling one message at a time: {@code concurrency} threads named
   * {@code queen-client-consumer-<queue>-N} long-poll, call {@code handler} for each message of a
   * batch in order, then ack the batch in one request (completed for those that returned, failed
   * with the exception's message for those that threw). Returns at once.
   *
   * @param handler called on the consumer threads
   * @return the running consumer; close it to stop
   * @throws IllegalArgumentException when a setting is invalid (naming every one)
   */
  public RunningConsumer consume(MessageHandler handler) {
    if (handler == null) {
      throw new IllegalArgumentException("a handler is required to consume");
    }
    return start(handler, null);
  }

  /**
   * Starts a consumer handling whole batches: as {@link #consume}, but the handler gets each popped
   * batch and its outcome settles all of it.
   *
   * @param handler called on the consumer threads
   * @return the running consumer; close it to stop
   * @throws IllegalArgumentException when a setting is invalid (naming every one)
   */
  public RunningConsumer consumeBatch(BatchHandler handler) {
    if (handler == null) {
      throw new IllegalArgumentException("a handler is required to consume");
    }
    return start(null, handler);
  }

  private RunningConsumer start(MessageHandler each, BatchHandler whole) {
    client.ensureOpen();
    var problems = new ArrayList<String>();
    checkPop(problems);
    if (concurrency < 1 || concurrency > 1000) {
      problems.add("concurrency must be between 1 and 1000, was " + concurrency);
    }
    if (renewLease && renewLeaseIntervalMillis <= 0) {
      problems.add("renewLease needs a positive interval, was " + renewLeaseIntervalMillis + " ms");
    }
    Wire.check("invalid consumer settings", problems);
    var name = queue != null ? queue : (namespace != null ? namespace : "") + (task != null ? "." + task : "");
    var consumer = new RunningConsumer(client, this, name, concurrency, each, whole,
        !Boolean.FALSE.equals(autoAck), !Boolean.FALSE.equals(wait),
        renewLease ? renewLeaseIntervalMillis : 0, renewLeaseSeconds);
    consumer.start();
    return consumer;
  }

  // ---- dead-letter queue

  /**
   * The dead-letter entries of this queue for every group.
   *
   * @return an immutable query
   */
  public DlqQuery dlq() {
    return dlq(null);
  }

  /**
   * The dead-letter entries of this queue for one group (the JS client's {@code dlq(group)}); the
   * builder's partition, if set, filters too.
   *
   * @param consumerGroup the group, or {@code null} for every group
   * @return an immutable query
   */
  public DlqQuery dlq(String consumerGroup) {
    requireQueue("query the dead-letter queue");
    return new DlqQuery(client, queue, consumerGroup, partition, 100, 0, null, null);
  }

  private void requireQueue(String what) {
    client.ensureOpen();
    if (queue == null || queue.isEmpty()) {
      throw new IllegalArgumentException("a queue name is required to " + what);
    }
  }

  @Override
  public String toString() {
    return "QueueBuilder[queue=" + queue + ", partition=" + partition + ", group=" + group + ", batch=" + batch + "]";
  }
}
