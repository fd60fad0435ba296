package io.queen.internal.ops;

import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import java.util.concurrent.CompletableFuture;

/** Whether the database answers a trivial query. Thread-safe. */
public final class HealthCheck {
  private final EngineContext context;
  private final String statement;

  public HealthCheck(EngineContext context) {
    this.context = context;
    this.statement = context.sql("health");
  }

  /** Any thread: completes false, never exceptionally, when the database does not answer. */
  public CompletableFuture<Boolean> check() {
    CompletableFuture<Boolean> check;
    try {
      check = context.single(() -> context.db().withConnection("health check",
          c -> Jdbc.scalarInt(c, statement) == 1));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(false);
    }
    return check.exceptionally(e -> false);
  }
}
