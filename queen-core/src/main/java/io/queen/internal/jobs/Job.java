package io.queen.internal.jobs;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A background job: named, run every {@link #interval()} by the {@link JobRunner}, one run at a
 * time, its SQL on a {@code queen-db} thread inside one transaction. A run that fails is logged
 * and counted; the schedule goes on.
 *
 * @param <R> what one run reports (for logs, metrics and tests)
 */
public interface Job<R> {

  /** Lower-case, dash-separated: the name in logs, metrics and threads. */
  String name();

  /** Time between the end of one run and the start of the next; zero turns the job off. */
  Duration interval();

  /**
   * Non-null for a cluster-wide singleton: each run first takes the transaction-scoped advisory
   * lock of this key and is skipped when another instance holds it.
   */
  default String clusterLock() {
    return null;
  }

  /** Whether a run's commit must wait for the WAL flush. */
  default boolean durable() {
    return true;
  }

  /**
   * Whether a scheduled run has anything to do now; asked on the scheduler's thread before a
   * database thread is taken, so a job nobody needs costs no transaction. A run asked for with
   * {@link JobRunner#run} does not ask.
   */
  default boolean due() {
    return true;
  }

  /** What a skipped run reports. */
  R skipped();

  /** One run: on a database thread, inside a transaction (committed when it returns). */
  R run(Connection c) throws SQLException;

  /**
   * Whether the run that produced {@code result} left work for another batch at once (a
   * bounded delete that hit its limit). The next batch is its own transaction, queued behind
   * whatever else waits for a database thread.
   */
  default boolean again(R result) {
    return false;
  }

  /** After a run committed, on the database thread that ran it: wake-ups, state, logs. */
  default void succeeded(R result) {}

  /** After a run failed, on the thread that saw it fail. */
  default void failed(Throwable error) {}
}
