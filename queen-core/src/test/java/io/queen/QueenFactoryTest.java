package io.queen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.queen.error.DatabaseUnavailableException;
import io.queen.error.ShutdownException;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class QueenFactoryTest {

  @Test
  void a_manager_on_the_applications_data_source_works_and_leaves_the_data_source_open() throws Exception {
    try (var db = TestDatabase.create()) {
      var hikari = new HikariConfig();
      hikari.setJdbcUrl(db.url());
      hikari.setMaximumPoolSize(6);
      try (var ds = new HikariDataSource(hikari)) {
        try (var queen = Queen.create(ds, QueenConfig.builder().dbThreads(3).build())) {
          queen.pushSync(PushItem.of("app", "1"));
          assertThat(queen.popSync(PopRequest.fromQueue("app").build()).messages()).hasSize(1);
        }
        assertThat(ds.isClosed()).isFalse();
        try (var c = ds.getConnection(); var s = c.createStatement();
            var rs = s.executeQuery("SELECT count(*) FROM queen.messages")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void pushes_on_a_data_source_whose_connections_do_not_auto_commit_are_committed() throws Exception {
    try (var db = TestDatabase.create()) {
      var hikari = new HikariConfig();
      hikari.setJdbcUrl(db.url());
      hikari.setMaximumPoolSize(6);
      hikari.setAutoCommit(false); // as some applications configure their pools
      try (var ds = new HikariDataSource(hikari)) {
        try (var queen = Queen.create(ds, QueenConfig.builder().dbThreads(3).build())) {
          queen.pushSync(List.of(PushItem.of("app", "1"), PushItem.of("app", "2")));
          try (var c = ds.getConnection(); var s = c.createStatement();
              var rs = s.executeQuery("SELECT count(*) FROM queen.messages")) {
            rs.next();
            assertThat(rs.getInt(1)).as("visible to another session: committed").isEqualTo(2);
            c.rollback();
          }
          assertThat(queen.popSync(PopRequest.fromQueue("app").batch(10).build()).messages())
              .extracting(m -> m.payloadJson()).containsExactly("1", "2");
        }
      }
    }
  }

  @Test
  void a_closed_manager_refuses_new_work_and_close_is_idempotent() {
    try (var db = TestDatabase.create()) {
      var queen = Queen.connect(new ConnectionSettings(db.url(), null, null, 5), QueenConfig.defaults());
      queen.close();
      queen.close();
      assertThatThrownBy(() -> queen.push(List.of(PushItem.of("q", "1"))).join())
          .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ShutdownException.class);
    }
  }

  @Test
  void an_unreachable_database_fails_the_start_with_a_clear_error() {
    assertThatThrownBy(() -> Queen.connect(new ConnectionSettings(
        "jdbc:postgresql://127.0.0.1:1/none", "postgres", null, 4, Duration.ofMillis(500)),
        QueenConfig.defaults()))
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining("127.0.0.1:1");
  }
}
