package io.queen.internal.jobs;

import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention and eviction: each run deletes in batches of at most the batch size per rule, one
 * short transaction per batch (the PL/pgSQL of {@code schema/functions/retention.sql}), and goes
 * on batch after batch while a rule filled its batch. One instance of a cluster at a time (the
 * job's advisory lock); what it removed is recorded in {@code retention_history} by the SQL and
 * reported to the metrics here.
 */
public final class LifecycleJob implements Job<Removals> {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleJob.class);

  private final EngineContext context;
  private final String name;
  private final Duration interval;
  private final int batchSize;
  private final String statement;
  private final boolean retention;

  private LifecycleJob(EngineContext context, String name, Duration interval, int batchSize,
      String statement, boolean retention) {
    this.context = context;
    this.name = name;
    this.interval = interval;
    this.batchSize = batchSize;
    this.statement = statement;
    this.retention = retention;
  }

  /** {@code retentionSeconds}, {@code completedRetentionSeconds}, inactive partitions, history. */
  public static LifecycleJob retention(EngineContext context) {
    var s = context.config().lifecycle();
    return new LifecycleJob(context, "retention", s.retentionInterval(), s.retentionBatchSize(),
        context.sql("retention"), true);
  }

  /** {@code maxWaitTimeSeconds}. */
  public static LifecycleJob eviction(EngineContext context) {
    var s = context.config().lifecycle();
    return new LifecycleJob(context, "eviction", s.evictionInterval(), s.evictionBatchSize(),
        context.sql("evict"), false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public String clusterLock() {
    return name;
  }

  @Override
  public Removals skipped() {
    return Removals.NONE;
  }

  @Override
  public Removals run(Connection c) throws SQLException {
    var now = context.now();
    Object[] args;
    if (retention) {
      var s = context.config().lifecycle();
      args = new Object[] {now, batchSize, now.minus(s.partitionCleanupAge()),
          now.minus(s.historyRetention())};
    } else {
      args = new Object[] {now, batchSize};
    }
    var rows = Jdbc.list(c, statement,
        rs -> new Removals.Removal(rs.getString(1), rs.getString(2), rs.getInt(3)), args);
    var byKind = new HashMap<String, Integer>();
    rows.forEach(r -> byKind.merge(r.kind(), r.removed(), Integer::sum));
    boolean full = byKind.values().stream().anyMatch(n -> n >= batchSize);
    return new Removals(List.copyOf(rows), full);
  }

  @Override
  public boolean again(Removals result) {
    return result.full();
  }

  @Override
  public void succeeded(Removals result) {
    for (var r : result.removals()) {
      if (!r.kind().equals("history")) {
        context.metrics().removed(r.queue(), r.kind(), r.removed());
      }
    }
    if (!result.removals().isEmpty() && LOG.isDebugEnabled()) {
      LOG.debug("{} removed {}", name, result.removals());
    }
  }
}
