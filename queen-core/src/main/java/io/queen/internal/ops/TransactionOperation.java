package io.queen.internal.ops;

import io.queen.error.InvalidRequestException;
import io.queen.error.QueenDatabaseException;
import io.queen.internal.crypto.QueueEncryption;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.internal.wakeup.QueueActivity;
import io.queen.model.AckResult;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import io.queen.model.TransactionRequest;
import io.queen.model.TransactionResult;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.postgresql.util.PSQLException;

/**
 * A transaction: acks, then pushes, in one {@code transaction_v1} call; all commit or none do.
 * A part that fails (an ack that does not succeed, a push item that fails, a required lease that
 * is not live) raises {@code QU001} in PostgreSQL, which becomes an unsuccessful result with
 * PostgreSQL's message. Thread-safe.
 */
public final class TransactionOperation {
  private final EngineContext context;
  private final PushOperation pushes;
  private final LongPolls longPolls;
  private final QueueActivity activity;
  private final Supplier<String> notifyChannel;
  private final String statement;
  private final String encryptedQueues;

  public TransactionOperation(EngineContext context, PushOperation pushes, LongPolls longPolls,
      QueueActivity activity, Supplier<String> notifyChannel) {
    this.context = context;
    this.pushes = pushes;
    this.longPolls = longPolls;
    this.activity = activity;
    this.notifyChannel = notifyChannel;
    this.statement = context.sql("transaction");
    this.encryptedQueues = context.sql("encrypted_queues");
  }

  /** Any thread: validates everything, then runs it alone on a database thread. */
  public CompletableFuture<TransactionResult> run(TransactionRequest request) {
    if (request == null) {
      throw new InvalidRequestException("operations", "operations is required");
    }
    if (request.acks().isEmpty() && request.pushes().isEmpty()) {
      throw new InvalidRequestException("operations", "operations array cannot be empty");
    }
    AckOperation.validate(request.acks(), "acks");
    var push = pushes.prepare(request.pushes(), "pushes");
    var required = new UUID[request.requiredLeases().size()];
    for (int i = 0; i < required.length; i++) {
      required[i] = Validation.uuid("requiredLeases[" + i + "]", request.requiredLeases().get(i));
    }
    var txId = context.nextId();
    var acksJson = AckOperation.acksJson(request.acks());
    return context.single(() -> {
      try {
        return attempt(request, push, required, txId, acksJson);
      } catch (QueenDatabaseException e) {
        if ("QE001".equals(e.sqlState())) {
          // a queue this engine did not know to be encrypted: learn them all, seal, once more
          var encryption = context.encryption();
          encryption.knownEncrypted(context.db().withConnection("encrypted queues",
              c -> Jdbc.list(c, encryptedQueues, rs -> rs.getString(1))));
          for (var item : push.items()) {
            if (!encryption.hasKey() && encryption.isEncrypted(item.queue())) {
              return new TransactionResult(txId, false, QueueEncryption.noKey(item.queue()),
                  List.of(), List.of());
            }
          }
          try {
            return attempt(request, PushOperation.seal(encryption, push), required, txId,
                acksJson);
          } catch (QueenDatabaseException again) {
            return unsuccessful(txId, again);
          }
        }
        return unsuccessful(txId, e);
      }
    });
  }

  private TransactionResult unsuccessful(UUID txId, QueenDatabaseException e) {
    if ("QU001".equals(e.sqlState())) {
      return new TransactionResult(txId, false, serverMessage(e), List.of(), List.of());
    }
    throw e;
  }

  /** A database thread: the transaction, committed or rolled back whole. */
  private TransactionResult attempt(TransactionRequest request, PreparedPush push,
      UUID[] required, UUID txId, String acksJson) {
    try {
      return commitAndWake(request, push, required, txId, acksJson);
    } finally {
      PushOperation.touch(activity, List.of(push));
    }
  }

  private TransactionResult commitAndWake(TransactionRequest request, PreparedPush push,
      UUID[] required, UUID txId, String acksJson) {
    var itemsJson = PushOperation.itemsJson(List.of(push));
    // transaction_v1 is one statement (it raises, rolling everything back, when an ack fails)
    var result = context.db().inOneStatement("transaction",
        c -> {
          var ackResults = new AckResult[request.acks().size()];
          var pushResults = new PushResult[request.pushes().size()];
          Jdbc.query(c, statement, rs -> {
            int idx = rs.getInt(2);
            if ("ack".equals(rs.getString(1))) {
              ackResults[idx] = new AckResult(request.acks().get(idx).transactionId(), true,
                  null, rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getBoolean(9));
            } else {
              pushResults[idx] = PushOperation.result(push, idx,
                  PushStatus.valueOf(rs.getString(3).toUpperCase()),
                  rs.getObject(4, UUID.class), rs.getObject(5, UUID.class), null);
            }
          }, acksJson, itemsJson, Jdbc.uuids(required), context.now(),
              context.config().autoCreateQueues(), notifyChannel.get(), context.instanceId());
          return new TransactionResult(txId, true, null, List.of(ackResults),
              List.of(pushResults));
        });
    PushOperation.wake(longPolls, List.of(push), List.of(result.pushResults()));
    return result;
  }

  /** PostgreSQL's own message, without the JDBC prefix and the "Where:" context lines. */
  private static String serverMessage(QueenDatabaseException e) {
    if (e.getCause() instanceof PSQLException psql) {
      var sem = psql.getServerErrorMessage();
      if (sem != null && sem.getMessage() != null) {
        return sem.getMessage();
      }
    }
    return e.getMessage();
  }
}
