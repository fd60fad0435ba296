package io.queen.server.worker;

import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checked invariant "only the owning IO thread touches an exchange". Every code path that
 * touches an {@code HttpServerExchange} or the per-thread registries calls {@link #check} first; a
 * violation is counted (exposed by {@code /metrics} and asserted by the tests), logged with the
 * stack, and refused with an {@link IllegalStateException}. Thread-safe.
 */
public final class OwnerThreadGuard {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerThreadGuard.class);
  private final LongAdder violations = new LongAdder();

  /** Any thread: throws unless the calling thread is {@code owner}. */
  public void check(Thread owner, String what) {
    var current = Thread.currentThread();
    if (current != owner) {
      violations.increment();
      var e = new IllegalStateException(what + " on thread '" + current.getName()
          + "', but only its owning IO thread '" + owner.getName() + "' may do that");
      LOG.error("owner-thread invariant violated", e);
      throw e;
    }
  }

  public long violations() {
    return violations.sum();
  }
}
