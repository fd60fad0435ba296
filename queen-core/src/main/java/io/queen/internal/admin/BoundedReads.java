package io.queen.internal.admin;

import io.queen.internal.db.Jdbc;
import io.queen.internal.db.SqlWork;
import io.queen.internal.runtime.EngineContext;
import java.util.concurrent.CompletableFuture;

/**
 * How the operations API reads: on a database thread, in a transaction whose statements give up
 * after 30 s. PostgreSQL keeps running a statement whose client went away until it tries to send
 * a row, so an unbounded read (measured: a browse left running for half an hour after its server
 * was stopped) would hold a core for as long as it likes. Thread-safe.
 */
final class BoundedReads {
  private final EngineContext context;
  private final String bound;

  BoundedReads(EngineContext context) {
    this.context = context;
    this.bound = context.sql("bounded_read");
  }

  /** Any thread. */
  <T> CompletableFuture<T> read(String what, SqlWork<T> work) {
    return context.single(() -> context.db().inTransaction(what, false, c -> {
      Jdbc.execute(c, bound);
      return work.run(c);
    }));
  }
}
