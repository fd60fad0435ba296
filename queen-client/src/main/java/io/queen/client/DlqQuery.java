package io.queen.client;

import io.queen.client.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A query of one queue's dead-letter entries ({@code queue("orders").dlq("billing").limit(10).get()});
 * immutable, any thread.
 */
public final class DlqQuery {
  private final QueenClient client;
  private final String queue;
  private final String group;
  private final String partition;
  private final int limit;
  private final int offset;
  private final String from;
  private final String to;

  DlqQuery(QueenClient client, String queue, String group, String partition, int limit, int offset,
      String from, String to) {
    this.client = client;
    this.queue = queue;
    this.group = group;
    this.partition = partition;
    this.limit = limit;
    this.offset = offset;
    this.from = from;
    this.to = to;
  }

  /**
   * The page size.
   *
   * @param count at least 1 (default 100)
   * @return a new query
   */
  public DlqQuery limit(int count) {
    return new DlqQuery(client, queue, group, partition, count, offset, from, to);
  }

  /**
   * Entries to skip.
   *
   * @param count zero or more
   * @return a new query
   */
  public DlqQuery offset(int count) {
    return new DlqQuery(client, queue, group, partition, limit, count, from, to);
  }

  /**
   * Only entries that failed at or after {@code timestamp}.
   *
   * @param timestamp ISO-8601
   * @return a new query
   */
  public DlqQuery from(String timestamp) {
    return new DlqQuery(client, queue, group, partition, limit, offset, timestamp, to);
  }

  /**
   * Only entries that failed at or before {@code timestamp}.
   *
   * @param timestamp ISO-8601
   * @return a new query
   */
  public DlqQuery to(String timestamp) {
    return new DlqQuery(client, queue, group, partition, limit, offset, from, timestamp);
  }

  /**
   * Reads the page (blocking).
   *
   * @return the page
   * @throws IllegalArgumentException when limit or offset is invalid
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public DlqPage get() {
    return Wire.await(getAsync());
  }

  /**
   * Reads the page; completes on the HTTP pool.
   *
   * @return the page; fails with {@link QueenClientException}
   */
  public CompletableFuture<DlqPage> getAsync() {
    client.ensureOpen();
    var problems = new ArrayList<String>();
    if (limit < 1) {
      problems.add("limit must be at least 1, was " + limit);
    }
    if (offset < 0) {
      problems.add("offset must be zero or positive, was " + offset);
    }
    Wire.check("invalid dead-letter query", problems);
    var path = new StringBuilder("/api/v1/dlq?queue=").append(Wire.encode(queue))
        .append("&limit=").append(limit).append("&offset=").append(offset);
    add(path, "consumerGroup", group);
    add(path, "partition", partition);
    add(path, "from", from);
    add(path, "to", to);
    return client.transport().send("GET", path.toString(), null, Transport.Safety.IDEMPOTENT,
        client.settings().requestTimeout()).thenApply(r -> {
          var answer = r.json();
          var out = new ArrayList<DlqMessage>();
          var root = answer instanceof Map<?, ?> m ? m : Map.of();
          for (var e : Wire.objects(root.get("messages"))) {
            out.add(new DlqMessage(Wire.str(e, "id"), Wire.str(e, "transactionId"), Wire.str(e, "partitionId"),
                Wire.str(e, "queue"), Wire.str(e, "partition"), Wire.str(e, "consumerGroup"),
                Wire.str(e, "errorMessage"), (int) Wire.num(e, "retryCount", 0), Json.write(e.get("data")),
                Wire.str(e, "createdAt"), Wire.str(e, "failedAt")));
          }
          return new DlqPage(List.copyOf(out), Wire.num(root, "total", out.size()));
        });
  }

  private static void add(StringBuilder sb, String name, String value) {
    if (value != null) {
      sb.append('&').append(name).append('=').append(Wire.encode(value));
    }
  }

  /**
   * Makes entries deliverable to their group again (blocking; our server's
   * {@code POST /api/v1/dlq/requeue}, which the original does not have). The query's group, if
   * set, limits it; its other filters do not apply.
   *
   * @param messageIds the entries' message ids; none = every entry of the queue (and group)
   * @return how many entries were requeued
   * @throws QueenClientException when the server refused the request or could not be reached
   */
  public long requeue(String... messageIds) {
    client.ensureOpen();
    var body = new LinkedHashMap<String, Object>();
    body.put("queue", queue);
    if (group != null) {
      body.put("consumerGroup", group);
    }
    if (messageIds.length > 0) {
      body.put("messageIds", List.of(messageIds));
    }
    var r = Wire.await(client.transport().send("POST", "/api/v1/dlq/requeue", Json.write(body),
        Transport.Safety.IDEMPOTENT, client.settings().requestTimeout()));
    return r.json() instanceof Map<?, ?> m ? Wire.num(m, "requeued", 0) : 0;
  }
}
