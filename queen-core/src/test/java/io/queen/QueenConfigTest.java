package io.queen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.model.QueueOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueenConfigTest {

  @Test
  void the_defaults_are_valid_and_suit_a_small_machine() {
    var c = QueenConfig.defaults();
    assertThat(c.schema()).isEqualTo("queen");
    assertThat(c.dbThreads()).isEqualTo(4);
    assertThat(c.maxConcurrentBatches()).isLessThanOrEqualTo(c.dbThreads());
  }

  @Test
  void invalid_values_are_refused_with_the_value_in_the_message() {
    assertThatThrownBy(() -> QueenConfig.builder().dbThreads(0).build())
        .hasMessageContaining("dbThreads").hasMessageContaining("was 0");
    assertThatThrownBy(() -> QueenConfig.builder().dbThreads(2).maxConcurrentBatches(3).build())
        .hasMessageContaining("maxConcurrentBatches").hasMessageContaining("(2)").hasMessageContaining("was 3");
    assertThatThrownBy(() -> QueenConfig.builder().schema("Bad-Name").build())
        .hasMessageContaining("schema").hasMessageContaining("Bad-Name");
    assertThatThrownBy(() -> QueenConfig.builder().longPollRecheckInterval(Duration.ZERO).build())
        .hasMessageContaining("longPollRecheckInterval");
    assertThatThrownBy(() -> QueenConfig.builder().maxBatchItems(0).build())
        .hasMessageContaining("maxBatchItems");
  }

  @Test
  void connection_settings_check_the_url_and_hide_the_password() {
    assertThatThrownBy(() -> new ConnectionSettings("jdbc:mysql://x", null, null, 4))
        .hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> new ConnectionSettings("jdbc:postgresql://x/db", null, null, 0))
        .hasMessageContaining("poolSize").hasMessageContaining("was 0");
    assertThat(new ConnectionSettings("jdbc:postgresql://x/db", "u", "secret", 4).toString())
        .doesNotContain("secret");
  }

  @Test
  void a_pool_smaller_than_the_database_threads_is_refused() {
    assertThatThrownBy(() -> Queen.connect(
        new ConnectionSettings("jdbc:postgresql://127.0.0.1:1/none", null, null, 2),
        QueenConfig.builder().dbThreads(4).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize (2)");
  }

  @Test
  void queue_options_default_to_the_originals_values() {
    var o = QueueOptions.DEFAULTS;
    assertThat(o.leaseTime()).isEqualTo(300);
    assertThat(o.retryLimit()).isEqualTo(3);
    // the original's 1000 is stored and never applied: its clients expect an immediate redelivery
    assertThat(o.retryDelay()).isZero();
    assertThat(o.retryBackoff()).isEqualTo(1.0);
    assertThat(o.retryDelayMax()).isZero();
    assertThat(o.ttl()).isEqualTo(3600);
    assertThat(o.effectiveLeaseSeconds()).isEqualTo(300);
    assertThat(o.toBuilder().leaseTime(0).build().effectiveLeaseSeconds()).isEqualTo(60);
  }
}
