package io.queen.testing;

import io.queen.ConnectionSettings;
import io.queen.Queen;
import io.queen.QueenConfig;
import io.queen.QueueManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base class for tests against a real PostgreSQL: each test gets its own fresh database and a
 * {@link QueueManager} on it with a {@link MutableClock}; both are discarded after the test. A test
 * class whose {@link #timersByHand()} is true also gets a {@link ManualScheduler} that every
 * manager of the test shares: its jobs and long-poll timers run only when the test moves it.
 */
public abstract class QueenTestSupport {
  protected TestDatabase database;
  protected MutableClock clock;
  /** The managers' scheduler when {@link #timersByHand()}, else null (each has its own). */
  protected ManualScheduler scheduler;
  protected QueueManager queen;
  private final List<QueueManager> extra = new ArrayList<>();

  @BeforeEach
  void startQueen() {
    database = TestDatabase.create();
    clock = new MutableClock();
    scheduler = timersByHand() ? new ManualScheduler() : null;
    queen = newManager(this::configure);
  }

  /** The configuration of {@link #queen}, from the defaults of {@link #newManager}. */
  protected QueenConfig.Builder configure(QueenConfig.Builder defaults) {
    return defaults;
  }

  /** Whether this test class drives the engines' timers and jobs by hand ({@link #scheduler}). */
  protected boolean timersByHand() {
    return false;
  }

  /** Another manager on the same database (closed after the test). */
  protected QueueManager newManager(UnaryOperator<QueenConfig.Builder> customize) {
    // the operations API's lists aggregate on every read unless a test asks for summaries
    var config = customize.apply(QueenConfig.builder().clock(clock).scheduler(scheduler)
        .summaryInterval(Duration.ZERO)).build();
    var m = Queen.connect(new ConnectionSettings(database.url(), null, null, config.dbThreads() + 1), config);
    extra.add(m);
    return m;
  }

  @AfterEach
  void stopQueen() {
    for (var m : extra) {
      m.close();
    }
    if (database != null) {
      database.close();
    }
  }
}
