package io.queen.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.model.PushItem;
import io.queen.testing.Conditions;
import io.queen.testing.ManualScheduler;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatisticsKeeperTest extends QueenTestSupport {
  private static final String KEEPER = "statistics-keeper";

  @Test
  void tables_that_changed_a_lot_since_their_last_analyze_are_analyzed() throws Exception {
    // a manager whose keeper does not run on its own schedule, so this test decides when it runs
    queen.close();
    var time = new ManualScheduler();
    var manual = newManager(b -> b.scheduler(time));
    manual.pushSync(items(0, 3_000));
    // the statistics collector publishes counters shortly after commit
    Conditions.await("the insert counters", Duration.ofSeconds(20), () -> modsSinceAnalyze() >= 3_000);
    List<String> analyzed = time.runOnlyJob(KEEPER);
    assertThat(analyzed).contains("messages");
    assertThat(modsSinceAnalyze()).isLessThan(3_000);
    assertThat(time.<List<String>>runOnlyJob(KEEPER)).doesNotContain("messages");
  }

  @Test
  void a_table_that_doubled_since_its_last_analyze_is_analyzed_again_at_once() throws Exception {
    queen.close();
    var time = new ManualScheduler();
    var manual = newManager(b -> b.scheduler(time));
    manual.pushSync(items(0, 3_000));
    Conditions.await("the insert counters", Duration.ofSeconds(20), () -> modsSinceAnalyze() >= 3_000);
    assertThat(time.<List<String>>runOnlyJob(KEEPER)).contains("messages");
    // the 10%-change rule waits 10 s after an ANALYZE; only growth makes it run again now
    manual.pushSync(items(3_000, 12_000));
    assertThat(time.<List<String>>runOnlyJob(KEEPER)).contains("messages");
  }

  private static List<PushItem> items(int from, int to) {
    var items = new ArrayList<PushItem>();
    for (int i = from; i < to; i++) {
      items.add(PushItem.of("stats", String.valueOf(i)).withPartition("p" + (i % 50)));
    }
    return items;
  }

  private long modsSinceAnalyze() {
    try (var c = database.connect(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT coalesce(max(n_mod_since_analyze), 0) FROM pg_stat_user_tables"
            + " WHERE schemaname = 'queen' AND relname = 'messages'")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
