package io.queen.internal.jobs;

import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ANALYZEs Queen's tables whose planner statistics fell behind: at once when a table's file more
 * than doubled since the planner last measured it (the file size is exact and immediate, where row
 * counters lag), and when more than 10 % of its rows (and 1,000) changed, at most every 10 s.
 * Autovacuum looks at a database about once a minute while a queue's tables change shape in
 * seconds, and PL/pgSQL and foreign-key checks keep the plans they made from an emptier table
 * until the next ANALYZE (measured in docs/benchmarks.md). One instance of a cluster at a time;
 * every {@code statisticsInterval} (zero turns it off).
 */
public final class StatisticsKeeper implements Job<List<String>> {
  private static final Logger LOG = LoggerFactory.getLogger(StatisticsKeeper.class);

  private final EngineContext context;
  private final String staleTables;
  private final String analyze;

  public StatisticsKeeper(EngineContext context) {
    this.context = context;
    this.staleTables = context.sql("stale_tables");
    this.analyze = context.sql("analyze_table");
  }

  @Override
  public String name() {
    return "statistics-keeper";
  }

  @Override
  public Duration interval() {
    return context.config().statisticsInterval();
  }

  /** The advisory lock key it has always used, so instances of older builds share it too. */
  @Override
  public String clusterLock() {
    return "analyze";
  }

  /** An ANALYZE lost in a crash is simply done again. */
  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public List<String> skipped() {
    return List.of();
  }

  /** @return the tables analyzed */
  @Override
  public List<String> run(Connection c) throws SQLException {
    var tables = Jdbc.list(c, staleTables, rs -> rs.getString(1), context.statements().schema());
    for (var table : tables) {
      Jdbc.execute(c, analyze.replace("{{table}}", '"' + table.replace("\"", "\"\"") + '"'));
    }
    return tables;
  }

  @Override
  public void succeeded(List<String> analyzed) {
    if (!analyzed.isEmpty()) {
      LOG.debug("analyzed {}", analyzed);
    }
  }
}
