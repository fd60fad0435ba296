package io.queen.client;

import io.queen.client.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Acks and pushes committed in one PostgreSQL transaction: all or none
 * ({@code transaction().ack(msg).queue("out").push(...).commit()}). The leases of the acked messages
 * are required: if one has expired, nothing is done.
 *
 * <p>Not thread-safe: build and commit on one thread (the future of {@link #commitAsync()}
 * completes on the HTTP pool). A commit is not repeated once sent, except after a 503.
 */
public final class TransactionBuilder {
  private final QueenClient client;
  private final List<Object> operations = new ArrayList<>();
  private final LinkedHashSet<String> requiredLeases = new LinkedHashSet<>();
  private final List<String> problems = new ArrayList<>();
  private int acks;
  private int pushed;

  TransactionBuilder(QueenClient client) {
    this.client = client;
  }

  /**
   * Adds an ack of {@code message} as completed.
   *
   * @param message a message from a pop
   * @return this builder
   */
  public TransactionBuilder ack(Message message) {
    return ack(message, AckStatus.COMPLETED);
  }

  /**
   * Adds an ack of {@code message}; its lease (if any) becomes required.
   *
   * @param message a message from a pop
   * @param status how to settle it
   * @return this builder
   */
  public TransactionBuilder ack(Message message, AckStatus status) {
    try {
      var op = new LinkedHashMap<String, Object>();
      op.put("type", "ack");
      op.putAll(QueenClient.ackEntry(message, status, null));
      op.remove("leaseId");
      if (message.consumerGroup() != null) {
        op.put("consumerGroup", message.consumerGroup());
      }
      operations.add(op);
      acks++;
      if (message.leaseId() != null && !message.leaseId().isEmpty()) {
        requiredLeases.add(message.leaseId());
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      problems.add("operations[" + operations.size() + "]: " + e.getMessage());
      operations.add(Map.of());
    }
    return this;
  }

  /**
   * Starts a push to {@code queue} within this transaction.
   *
   * @param queue the queue's name
   * @return a push step; its {@code push} returns to this builder
   */
  public Push queue(String queue) {
    return new Push(queue, null);
  }

  /** A push within a transaction, to one queue (and partition). */
  public final class Push {
    private final String queue;
    private final String partition;

    private Push(String queue, String partition) {
      this.queue = queue;
      this.partition = partition;
    }

    /**
     * The partition to push to (default {@code Default}).
     *
     * @param name the partition's name
     * @return a new push step
     */
    public Push partition(String name) {
      return new Push(queue, name);
    }

    /**
     * Adds the payloads (JSON text), each with a client-generated transaction id.
     *
     * @param jsonPayloads one or more JSON values
     * @return the transaction
     */
    public TransactionBuilder push(String... jsonPayloads) {
      var items = new ArrayList<PushItem>();
      for (var p : jsonPayloads) {
        items.add(PushItem.of(p));
      }
      return push(items);
    }

    /**
     * Adds the items.
     *
     * @param items one or more items
     * @return the transaction
     */
    public TransactionBuilder push(List<PushItem> items) {
      var index = operations.size();
      var local = new ArrayList<String>();
      if (queue == null || queue.isEmpty()) {
        local.add("a queue name is required to push");
      }
      if (items == null || items.isEmpty()) {
        local.add("at least one item is required to push");
      }
      var wire = items == null ? List.<Object>of() : QueueBuilder.pushItems(queue, partition, items, local);
      local.forEach(p -> problems.add("operations[" + index + "]: " + p));
      var op = new LinkedHashMap<String, Object>();
      op.put("type", "push");
      op.put("items", wire);
      operations.add(op);
      pushed += wire.size();
      return TransactionBuilder.this;
    }
  }

  /**
   * Commits (blocking).
   *
   * @return the results of every ack and push
   * @throws IllegalArgumentException when an operation was invalid (naming every one)
   * @throws QueenClientException when the server rolled it back (its reason), refused it or could not be reached
   */
  public TransactionResult commit() {
    return Wire.await(commitAsync());
  }

  /**
   * Commits; completes on the HTTP pool.
   *
   * @return the results; fails with {@link QueenClientException} when rolled back or refused
   * @throws IllegalArgumentException when an operation was invalid (at once, on the calling thread)
   */
  public CompletableFuture<TransactionResult> commitAsync() {
    client.ensureOpen();
    var all = new ArrayList<>(problems);
    if (operations.isEmpty()) {
      all.add("a transaction needs at least one ack or push");
    }
    Wire.check("cannot commit the transaction", all);
    var body = new LinkedHashMap<String, Object>();
    body.put("operations", operations);
    body.put("requiredLeases", new ArrayList<>(requiredLeases));
    var path = "/api/v1/transaction";
    return client.transport().send("POST", path, Json.write(body), Transport.Safety.ONCE,
        client.settings().requestTimeout()).thenApply(r -> {
          if (!(r.json() instanceof Map<?, ?> m)) {
            throw new QueenClientException("POST", path, r.url(), r.status(), null,
                "POST " + path + " on " + r.url() + ": the answer is not a JSON object", null);
          }
          if (!Wire.bool(m, "success")) {
            var error = Wire.str(m, "error");
            throw new QueenClientException("POST", path, r.url(), r.status(), error,
                "POST " + path + " on " + r.url() + ": the transaction was rolled back: " + error, null);
          }
          var ackResults = new ArrayList<AckResult>();
          var pushResults = new ArrayList<PushResult>();
          int i = 0;
          for (var res : Wire.objects(m.get("results"))) {
            if ("push".equals(Wire.str(res, "type"))) {
              pushResults.add(new PushResult(pushResults.size(), PushStatus.of(Wire.str(res, "status")),
                  Wire.str(res, "messageId"), Wire.str(res, "transactionId"), Wire.str(res, "partitionId"),
                  Wire.str(res, "error")));
            } else {
              ackResults.add(new AckResult(Wire.str(res, "transactionId"), !res.containsKey("success")
                  || Wire.bool(res, "success"), Wire.str(res, "error"), Wire.bool(res, "dlq")));
            }
            i++;
          }
          return new TransactionResult(Wire.str(m, "transactionId"), List.copyOf(ackResults),
              List.copyOf(pushResults));
        });
  }

  @Override
  public String toString() {
    return "TransactionBuilder[acks=" + acks + ", pushed=" + pushed + ", requiredLeases=" + requiredLeases.size() + "]";
  }
}
