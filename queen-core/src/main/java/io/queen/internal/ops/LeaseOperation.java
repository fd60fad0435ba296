package io.queen.internal.ops;

import io.queen.error.InvalidRequestException;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import io.queen.internal.wakeup.LongPolls;
import io.queen.model.LeaseExtension;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;

/** Leases: extending one, and releasing one without counting failures. Thread-safe. */
public final class LeaseOperation {
  private final EngineContext context;
  private final LongPolls longPolls;
  private final String extend;
  private final String release;

  public LeaseOperation(EngineContext context, LongPolls longPolls) {
    this.context = context;
    this.longPolls = longPolls;
    this.extend = context.sql("extend_lease");
    this.release = context.sql("release_lease");
  }

  /** Any thread. */
  public CompletableFuture<LeaseExtension> extend(String leaseId, int seconds) {
    var lease = Validation.uuid("leaseId", leaseId);
    if (seconds < 1 || seconds > 86_400) {
      throw new InvalidRequestException("seconds",
          "seconds must be between 1 and 86400, was " + seconds);
    }
    return context.single(() -> context.db().inTransaction("extend lease", true,
        c -> Jdbc.one(c, extend, rs -> {
          switch (rs.getString(1)) {
            case "extended":
              var expires = rs.getObject(2, OffsetDateTime.class);
              return new LeaseExtension(leaseId, true, null,
                  expires == null ? null : expires.toInstant());
            case "expired":
              return new LeaseExtension(leaseId, false, "Lease already expired", null);
            default:
              return new LeaseExtension(leaseId, false, "Lease not found", null);
          }
        }, lease, seconds, context.now())));
  }

  /** Any thread: completes with the partitions released; their waiters look again. */
  public CompletableFuture<Integer> release(String leaseId) {
    var lease = Validation.uuid("leaseId", leaseId);
    return context.single(() -> {
      int n = context.db().inTransaction("release lease", true,
          c -> Jdbc.scalarInt(c, release, lease, context.now()));
      if (n > 0) {
        longPolls.wakeAll();
      }
      return n;
    });
  }
}
