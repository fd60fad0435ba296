package io.queen.internal.jobs;

import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles expired leases eagerly (failure counting, dead-lettering), up to 500 a run; the next pop
 * of a partition also does it lazily. Every instance runs it: rows are claimed with
 * {@code SKIP LOCKED}, so instances share the work without waiting on each other. After a run that
 * settled something, every long poll looks again (messages became deliverable).
 */
public final class LeaseReaper implements Job<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseReaper.class);
  static final int BATCH = 500;

  private final EngineContext context;
  private final String statement;
  private final Runnable afterReaping;

  /** @param afterReaping runs on the database thread after a run settled at least one lease */
  public LeaseReaper(EngineContext context, Runnable afterReaping) {
    this.context = context;
    this.statement = context.sql("reap_leases");
    this.afterReaping = afterReaping;
  }

  @Override
  public String name() {
    return "lease-reaper";
  }

  @Override
  public Duration interval() {
    return context.config().leaseReaperInterval();
  }

  @Override
  public Integer skipped() {
    return 0;
  }

  @Override
  public Integer run(Connection c) throws SQLException {
    return Jdbc.scalarInt(c, statement, context.now(), BATCH);
  }

  @Override
  public void succeeded(Integer reaped) {
    if (reaped > 0) {
      context.metrics().leasesExpired(reaped);
      LOG.debug("reaped {} expired lease(s)", reaped);
      afterReaping.run();
    }
  }
}
