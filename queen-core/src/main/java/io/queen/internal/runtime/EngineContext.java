package io.queen.internal.runtime;

import io.queen.QueenConfig;
import io.queen.internal.Uuid7;
import io.queen.internal.batch.GroupCommitter;
import io.queen.internal.concurrent.Executors2;
import io.queen.internal.concurrent.NamedThreadFactory;
import io.queen.internal.crypto.QueueEncryption;
import io.queen.internal.db.Database;
import io.queen.internal.db.SqlStatements;
import io.queen.metrics.QueenMetrics;
import io.queen.time.Scheduler;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * What every room of the engine shares: configuration, the database and its statements, ids, time,
 * metrics, and the {@code queen-db} threads with their group committers. Built once by the engine;
 * immutable apart from the committers it hands out, which it also closes. Thread-safe.
 *
 * <p>Only {@code queen-db} threads run SQL: rooms submit work through a committer (their own for
 * batched kinds, {@link #single} for everything else) and get a future completed on one of them.
 */
public final class EngineContext {
  private final QueenConfig config;
  private final Database db;
  private final SqlStatements sql;
  private final Uuid7 ids;
  private final String instanceId;
  private final Scheduler scheduler;
  private final QueenMetrics metrics;
  private final QueueEncryption encryption;
  private final ThreadPoolExecutor dbExecutor;
  private final List<GroupCommitter<?, ?>> committers = new ArrayList<>();
  private final GroupCommitter<Callable<?>, Object> singles;

  public EngineContext(QueenConfig config, Database db, SqlStatements sql, Scheduler scheduler,
      QueenMetrics metrics) {
    this.config = config;
    this.db = db;
    this.sql = sql;
    this.ids = new Uuid7(config.clock());
    this.instanceId = UUID.randomUUID().toString().substring(0, 8);
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.encryption = new QueueEncryption(config.encryption());
    this.dbExecutor = new ThreadPoolExecutor(config.dbThreads(), config.dbThreads(), 60,
        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new NamedThreadFactory("queen-db"));
    this.singles = committer("other", EngineContext::runEach, c -> 1, 1, config.dbThreads());
  }

  public QueenConfig config() {
    return config;
  }

  /** Which queues are encrypted, and their cipher. */
  public QueueEncryption encryption() {
    return encryption;
  }

  public Database db() {
    return db;
  }

  /** The statement called {@code name} (rooms look theirs up when they are built). */
  public String sql(String name) {
    return sql.get(name);
  }

  public SqlStatements statements() {
    return sql;
  }

  /** A fresh UUIDv7 (monotonic for this engine). Any thread. */
  public UUID nextId() {
    return ids.next();
  }

  /** This engine's id among the instances on one database (short, random per start). */
  public String instanceId() {
    return instanceId;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public QueenMetrics metrics() {
    return metrics;
  }

  /** The configured clock's now, as PostgreSQL timestamps want it. */
  public OffsetDateTime now() {
    return OffsetDateTime.ofInstant(config.clock().instant(), ZoneOffset.UTC);
  }

  /**
   * A group committer of operation kind {@code name} on the database threads, closed with the
   * engine. Batches of at most {@code maxItems} items, {@code maxConcurrent} at once.
   */
  public <R, T> GroupCommitter<R, T> committer(String name, GroupCommitter.BatchRunner<R, T> runner,
      ToIntFunction<R> itemCount, int maxItems, int maxConcurrent) {
    var c = new GroupCommitter<>(name, dbExecutor, runner, itemCount, maxItems, maxConcurrent,
        config.maxQueuedRequests(), config.retryAfter(), metrics);
    committers.add(c);
    return c;
  }

  /** The usual committer: {@code maxBatchItems} items, {@code maxConcurrentBatches} at once. */
  public <R, T> GroupCommitter<R, T> committer(String name, GroupCommitter.BatchRunner<R, T> runner,
      ToIntFunction<R> itemCount) {
    return committer(name, runner, itemCount, config.maxBatchItems(), config.maxConcurrentBatches());
  }

  /**
   * Runs {@code work} alone on a database thread (kind {@code other}): the operations that are
   * rare or too different to batch. Any thread.
   */
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> single(Callable<T> work) {
    return (CompletableFuture<T>) singles.submit(work);
  }

  /** {@code queen-db} threads running work now. Any thread. */
  public int busyDatabaseThreads() {
    return dbExecutor.getActiveCount();
  }

  public GroupCommitter<Callable<?>, Object> singles() {
    return singles;
  }

  /** Shutdown, first phase: every committer refuses new requests. */
  public void refuseNewWork() {
    committers.forEach(GroupCommitter::close);
  }

  /** Shutdown, last phase: lets running batches finish (bounded), then fails what never ran. */
  public void stopDatabaseThreads() {
    Executors2.shutdownAndAwait(dbExecutor, "queen-db", config.shutdownTimeout());
    committers.forEach(GroupCommitter::abandonQueued);
  }

  private static List<Object> runEach(List<Callable<?>> works) {
    var results = new ArrayList<Object>(works.size());
    for (var w : works) {
      try {
        results.add(w.call());
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return results;
  }
}
