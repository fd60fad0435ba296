package io.queen.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queen.QueueManager;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Pushes objects to Queen as JSON (serialised with the application's {@code ObjectMapper}),
 * joining the current Spring transaction when there is one on Queen's database.
 *
 * <p><b>Transactions.</b> Inside an active Spring transaction that holds a connection of the
 * data source the {@link QueueManager} works on (a {@code @Transactional} method or a
 * {@code TransactionTemplate} with a {@code DataSourceTransactionManager}, or JPA's, on that
 * data source), a push runs on that transaction's connection with
 * {@link QueueManager#push(java.sql.Connection, List)}: the message exists when the transaction
 * commits and vanishes if it rolls back, together with the application's own writes (the outbox
 * pattern). Anywhere else (no transaction, or one on another data source, or with
 * {@code queen.datasource.url} set so that Queen has a pool of its own) it is an ordinary push
 * ({@link QueueManager#pushSync(List)}), committed when the call returns.
 *
 * <p>Results: {@code QUEUED} (inside a transaction: queued if it commits), {@code DUPLICATE} (a
 * message with this transaction id is already in the partition: nothing new stored) and
 * {@code BUFFERED} are returned; {@code FAILED} is thrown as {@link QueenPushException}, so that
 * a {@code @Transactional} method that lets it through rolls back. A failed statement inside the
 * transaction throws {@link io.queen.error.QueenDatabaseException} (PostgreSQL has aborted the
 * transaction).
 *
 * <p>Threads: thread-safe. Every method blocks the calling thread until the push has run (inside
 * a transaction: on that thread, on its connection; outside: until Queen has committed it).
 */
public class QueenTemplate {
  private final QueueManager queen;
  private final ObjectMapper mapper;
  private final DataSource dataSource;

  /**
   * @param queen the manager that pushes
   * @param mapper serialises payloads
   * @param dataSource the data source {@code queen} works on, whose transactions pushes join; null
   *     to never join a transaction
   */
  public QueenTemplate(QueueManager queen, ObjectMapper mapper, DataSource dataSource) {
    this.queen = Objects.requireNonNull(queen, "queen");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.dataSource = dataSource;
  }

  /**
   * Pushes {@code payload} to the queue's {@code Default} partition, with a transaction id Queen
   * chooses.
   *
   * @param queue the queue's name
   * @param payload serialised with the ObjectMapper; null is JSON {@code null}
   * @return its result: {@code QUEUED} (inside a transaction: queued if it commits),
   *     {@code DUPLICATE} or {@code BUFFERED}
   * @throws QueenPushException when Queen did not store it ({@code FAILED})
   * @throws IllegalArgumentException when the payload cannot be serialised to JSON
   * @throws io.queen.error.InvalidRequestException for a bad queue, partition or transaction id
   * @throws io.queen.error.QueenDatabaseException inside a transaction, when the statement failed
   *     (PostgreSQL has aborted the transaction)
   * @throws io.queen.error.QueenException outside a transaction, when the push failed as a whole
   *     (for example {@link io.queen.error.OverloadedException})
   */
  public PushResult send(String queue, Object payload) {
    return send(queue, null, payload, null);
  }

  /**
   * Pushes {@code payload} to a partition (messages of one partition are delivered in order),
   * with a transaction id Queen chooses.
   *
   * @param queue the queue's name
   * @param partition the partition's name; null for {@code Default}
   * @param payload serialised with the ObjectMapper; null is JSON {@code null}
   * @return its result: {@code QUEUED} (inside a transaction: queued if it commits),
   *     {@code DUPLICATE} or {@code BUFFERED}
   * @throws QueenPushException when Queen did not store it ({@code FAILED})
   * @throws IllegalArgumentException when the payload cannot be serialised to JSON
   * @throws io.queen.error.InvalidRequestException for a bad queue, partition or transaction id
   * @throws io.queen.error.QueenDatabaseException inside a transaction, when the statement failed
   *     (PostgreSQL has aborted the transaction)
   * @throws io.queen.error.QueenException outside a transaction, when the push failed as a whole
   *     (for example {@link io.queen.error.OverloadedException})
   */
  public PushResult send(String queue, String partition, Object payload) {
    return send(queue, partition, payload, null);
  }

  /**
   * Pushes {@code payload} to a partition with a transaction id: the idempotency key, unique per
   * partition, so a retried send is stored once (the retry answers {@code DUPLICATE}).
   *
   * @param queue the queue's name
   * @param partition null for {@code Default}
   * @param payload serialised with the ObjectMapper; null is JSON {@code null}
   * @param transactionId null to let Queen choose one
   * @return its result: {@code QUEUED} (inside a transaction: queued if it commits),
   *     {@code DUPLICATE} (this transaction id is already in the
   *     partition: nothing new stored) or {@code BUFFERED}
   * @throws QueenPushException when Queen did not store it ({@code FAILED})
   * @throws IllegalArgumentException when the payload cannot be serialised to JSON
   * @throws io.queen.error.InvalidRequestException for a bad queue, partition or transaction id
   * @throws io.queen.error.QueenDatabaseException inside a transaction, when the statement failed
   *     (PostgreSQL has aborted the transaction)
   * @throws io.queen.error.QueenException outside a transaction, when the push failed as a whole
   *     (for example {@link io.queen.error.OverloadedException})
   */
  public PushResult send(String queue, String partition, Object payload, String transactionId) {
    return send(toItem(queue, partition, payload, transactionId));
  }

  /**
   * Pushes one ready-made item (its payload already JSON text).
   *
   * @param item the item; not null
   * @return its result: {@code QUEUED} (inside a transaction: queued if it commits),
   *     {@code DUPLICATE} or {@code BUFFERED}
   * @throws QueenPushException when Queen did not store it ({@code FAILED})
   * @throws io.queen.error.InvalidRequestException for a bad item (queue, partition, transaction id,
   *     trace id or payload)
   * @throws io.queen.error.QueenDatabaseException inside a transaction, when the statement failed
   *     (PostgreSQL has aborted the transaction)
   * @throws io.queen.error.QueenException outside a transaction, when the push failed as a whole
   *     (for example {@link io.queen.error.OverloadedException})
   */
  public PushResult send(PushItem item) {
    return sendAll(List.of(item)).get(0);
  }

  /**
   * Pushes several items in one call: inside a transaction in one statement, outside in one
   * group commit. Throws {@link QueenPushException} for the first {@code FAILED} item; outside a
   * transaction the other items are then stored all the same.
   *
   * @param items the items, their payloads already JSON text (see {@link #toItem}); not null,
   *     may be empty
   * @return one result per item, in the items' order, none {@code FAILED}
   * @throws QueenPushException for the first item Queen did not store ({@code FAILED})
   * @throws io.queen.error.InvalidRequestException for a null list or a bad item; nothing was
   *     pushed
   * @throws io.queen.error.QueenDatabaseException inside a transaction, when the statement failed
   *     (PostgreSQL has aborted the transaction)
   * @throws io.queen.error.QueenException outside a transaction, when the push failed as a whole
   *     (for example {@link io.queen.error.OverloadedException})
   */
  public List<PushResult> sendAll(List<PushItem> items) {
    List<PushResult> results = joinsTransaction()
        ? TransactionalPush.push(queen, dataSource, items)
        : queen.pushSync(items);
    for (var r : results) {
      if (r.status() == PushStatus.FAILED) {
        throw new QueenPushException(r);
      }
    }
    return results;
  }

  /**
   * An item for {@link #sendAll}: {@code payload} serialised with the ObjectMapper. Pushes
   * nothing; any thread.
   *
   * @param queue the queue's name (checked when the item is pushed)
   * @param partition the partition's name; null for {@code Default}
   * @param payload serialised with the ObjectMapper; null is JSON {@code null}
   * @param transactionId the idempotency key, unique per partition; null to let Queen choose one
   * @return the item, with no trace id, trace context or producer identity
   * @throws IllegalArgumentException when the payload cannot be serialised to JSON
   */
  public PushItem toItem(String queue, String partition, Object payload, String transactionId) {
    return new PushItem(queue, partition, toJson(payload), transactionId, null);
  }

  /**
   * Whether a push from this thread now would join the current transaction: one is active and
   * holds a connection of Queen's data source.
   *
   * @return true when a push on the calling thread would run in its current transaction; false
   *     without spring-jdbc, without a data source to join (Queen on a pool of its own), or
   *     outside such a transaction
   */
  public boolean joinsTransaction() {
    return dataSource != null && TransactionalPush.available()
        && TransactionalPush.inTransaction(dataSource);
  }

  private String toJson(Object payload) {
    try {
      return mapper.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise the payload ("
          + (payload == null ? "null" : payload.getClass().getName()) + ") to JSON: "
          + e.getOriginalMessage(), e);
    }
  }
}
