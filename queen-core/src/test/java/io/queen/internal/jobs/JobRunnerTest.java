package io.queen.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.queen.QueenConfig;
import io.queen.internal.db.Database;
import io.queen.internal.db.SqlStatements;
import io.queen.internal.runtime.EngineContext;
import io.queen.metrics.CountingMetrics;
import io.queen.testing.ManualScheduler;
import io.queen.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The job machinery on a real PostgreSQL, with time moved by hand. */
class JobRunnerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(5);

  private TestDatabase database;
  private HikariDataSource pool;
  private final ManualScheduler time = new ManualScheduler();
  private final List<EngineContext> contexts = new ArrayList<>();

  /** A job that counts its runs and may block or fail on demand. */
  private static final class TestJob implements Job<Integer> {
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile CountDownLatch insideRun;
    volatile CountDownLatch release;
    final String lock;

    TestJob(String lock) {
      this.lock = lock;
    }

    @Override
    public String name() {
      return "test-job";
    }

    @Override
    public Duration interval() {
      return INTERVAL;
    }

    @Override
    public String clusterLock() {
      return lock;
    }

    @Override
    public Integer skipped() {
      return -1;
    }

    @Override
    public Integer run(Connection c) throws SQLException {
      if (insideRun != null) {
        insideRun.countDown();
      }
      if (release != null) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failuresLeft.getAndDecrement() > 0) {
        throw new SQLException("the job's own failure", "XX000");
      }
      return runs.incrementAndGet();
    }
  }

  @BeforeEach
  void setUp() {
    database = TestDatabase.create();
    pool = database.pool(6);
  }

  @AfterEach
  void tearDown() {
    for (var c : contexts) {
      c.refuseNewWork();
      c.stopDatabaseThreads();
    }
    pool.close();
    database.close();
  }

  private JobRunner runner(CountingMetrics metrics) {
    var config = QueenConfig.builder().scheduler(time).build();
    var context = new EngineContext(config, new Database(pool), SqlStatements.load("queen"), time,
        metrics);
    contexts.add(context);
    return new JobRunner(context);
  }

  @Test
  void a_job_runs_each_time_its_interval_has_passed_and_not_before() {
    var job = new TestJob(null);
    runner(new CountingMetrics()).schedule(job);
    time.advance(INTERVAL.minusMillis(1));
    assertThat(job.runs).hasValue(0);
    time.advance(Duration.ofMillis(1));
    assertThat(job.runs).hasValue(1);
    time.advance(INTERVAL.multipliedBy(2));
    assertThat(job.runs).hasValue(3);
  }

  @Test
  void a_run_due_while_the_last_one_still_goes_is_skipped() throws Exception {
    var metrics = new CountingMetrics();
    var jobs = runner(metrics);
    var job = new TestJob(null);
    job.insideRun = new CountDownLatch(1);
    job.release = new CountDownLatch(1);
    var first = jobs.run(job);
    assertThat(job.insideRun.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(jobs.run(job)).isCompletedWithValue(-1);
    job.release.countDown();
    assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(metrics.jobs().get("test-job").runs()).isEqualTo(1);
    assertThat(metrics.jobs().get("test-job").skipped()).isEqualTo(1);
  }

  @Test
  void a_failing_run_is_counted_and_the_schedule_goes_on() throws Exception {
    var metrics = new CountingMetrics();
    var jobs = runner(metrics);
    var job = new TestJob(null);
    job.failuresLeft.set(2);
    jobs.schedule(job);
    CompletableFuture<Integer> failed = jobs.run(job);
    assertThat(failed).failsWithin(Duration.ofSeconds(20));
    time.advance(INTERVAL); // fails again
    time.advance(INTERVAL); // works
    assertThat(job.runs).hasValue(1);
    assertThat(metrics.jobs().get("test-job").failures()).isEqualTo(2);
    assertThat(metrics.jobs().get("test-job").runs()).isEqualTo(1);
  }

  @Test
  void a_cluster_singleton_runs_on_one_instance_at_a_time() throws Exception {
    var first = runner(new CountingMetrics());
    var secondMetrics = new CountingMetrics();
    var second = runner(secondMetrics);
    var holding = new TestJob("jobs-test");
    holding.insideRun = new CountDownLatch(1);
    holding.release = new CountDownLatch(1);
    var running = first.run(holding);
    assertThat(holding.insideRun.await(20, TimeUnit.SECONDS)).isTrue();
    var other = new TestJob("jobs-test");
    assertThat(second.run(other).get(20, TimeUnit.SECONDS)).as("skipped").isEqualTo(-1);
    assertThat(other.runs).hasValue(0);
    assertThat(secondMetrics.jobs().get("test-job").skipped()).isEqualTo(1);
    holding.release.countDown();
    assertThat(running.get(20, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(second.run(other).get(20, TimeUnit.SECONDS)).as("the lock is free again").isEqualTo(1);
  }

  @Test
  void a_closed_runner_runs_nothing_more() {
    var jobs = runner(new CountingMetrics());
    var job = new TestJob(null);
    jobs.schedule(job);
    jobs.close();
    time.advance(INTERVAL.multipliedBy(3));
    assertThat(job.runs).hasValue(0);
    assertThat(jobs.run(job)).isCompletedWithValue(-1);
  }
}
