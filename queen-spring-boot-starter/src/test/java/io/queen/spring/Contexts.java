package io.queen.spring;

import io.queen.testing.TestDatabase;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What the tests share: an application context on a test database, and bounded waits. */
final class Contexts {
  private Contexts() {}

  /** A Boot application with a DataSource on {@code db}, Jackson, transactions and Queen. */
  static ApplicationContextRunner on(TestDatabase db) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class,
            JacksonAutoConfiguration.class, QueenAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=" + db.url(),
            "spring.datasource.hikari.maximum-pool-size=10",
            "queen.db-threads=2", "queen.shutdown-timeout=5s", "queen.listener.poll-timeout=5s");
  }

  /** Waits until {@code condition} holds, failing after {@code timeout}; re-checks every 20 ms. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
