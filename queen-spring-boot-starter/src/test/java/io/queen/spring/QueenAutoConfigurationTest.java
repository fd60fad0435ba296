package io.queen.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.queen.ConnectionSettings;
import io.queen.Queen;
import io.queen.QueenConfig;
import io.queen.QueueManager;
import io.queen.model.PopRequest;
import io.queen.model.PushItem;
import io.queen.model.PushStatus;
import io.queen.model.SubscriptionMode;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

class QueenAutoConfigurationTest extends DatabaseContextTest {
  @Test
  void buildsAWorkingQueueManagerOnTheApplicationsDataSource() {
    app.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(QueueManager.class)
          .hasSingleBean(QueenTemplate.class).hasSingleBean(QueenListenerRegistry.class);
      var queen = context.getBean(QueueManager.class);
      assertThat(queen.isReady()).isTrue();
      assertThat(queen.pushSync(PushItem.of("hello", "{\"n\": 1}")).status())
          .isEqualTo(PushStatus.QUEUED);
      var popped = queen.popSync(PopRequest.fromQueue("hello").wait(Duration.ofSeconds(5)).build());
      assertThat(popped.messages()).singleElement()
          .satisfies(m -> assertThat(m.payloadJson()).isEqualTo("{\"n\": 1}"));
      // Queen's tables are in the application's database, in the default schema
      var jdbc = new JdbcTemplate(context.getBean(DataSource.class));
      assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.schemata "
          + "WHERE schema_name = 'queen'", Integer.class)).isEqualTo(1);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnManager {
    @Bean(destroyMethod = "close")
    QueueManager myQueen() {
      return Queen.connect(new ConnectionSettings(OwnManagerDb.url, null, null, 2),
          QueenConfig.builder().dbThreads(2).build());
    }
  }

  /** Where {@link OwnManager} connects (a static: configuration classes are instantiated by Spring). */
  static final class OwnManagerDb {
    static volatile String url;
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnQueueManager() {
    OwnManagerDb.url = db.url();
    app.withUserConfiguration(OwnManager.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(QueueManager.class);
      assertThat(context).hasBean("myQueen").doesNotHaveBean("queenQueueManager");
      // the template and the listeners use the application's manager
      var template = context.getBean(QueenTemplate.class);
      assertThat(template.send("own", "x").status()).isEqualTo(PushStatus.QUEUED);
      assertThat(context.getBean("myQueen", QueueManager.class)
          .popSync(PopRequest.fromQueue("own").wait(Duration.ofSeconds(5)).build()).messages())
          .hasSize(1);
    });
  }

  @Test
  void theDefaultPropertiesAreCoresDefaults() {
    assertThat(new QueenProperties().toConfigBuilder().build()).isEqualTo(QueenConfig.defaults());
  }

  @Test
  void bindsTheQueenPropertiesIntoTheEngineConfiguration() {
    app.withPropertyValues("queen.schema=orders_queue", "queen.db-threads=3",
        "queen.max-concurrent-batches=3", "queen.default-subscription-mode=new",
        "queen.long-poll-recheck-interval=250ms", "queen.listen-notify=false",
        "queen.lifecycle.retention-interval=0", "queen.lifecycle.eviction-batch-size=50")
        .run(context -> {
          assertThat(context).hasNotFailed();
          var config = context.getBean(QueenProperties.class).toConfigBuilder().build();
          assertThat(config.schema()).isEqualTo("orders_queue");
          assertThat(config.dbThreads()).isEqualTo(3);
          assertThat(config.maxConcurrentBatches()).isEqualTo(3);
          assertThat(config.defaultSubscriptionMode()).isEqualTo(SubscriptionMode.NEW);
          assertThat(config.longPollRecheckInterval()).isEqualTo(Duration.ofMillis(250));
          assertThat(config.listenNotify()).isFalse();
          assertThat(config.lifecycle().retentionInterval()).isZero();
          assertThat(config.lifecycle().evictionBatchSize()).isEqualTo(50);
          // and the manager was built with them: its tables are in the schema asked for
          var jdbc = new JdbcTemplate(context.getBean(DataSource.class));
          assertThat(jdbc.queryForObject("SELECT count(*) FROM information_schema.schemata "
              + "WHERE schema_name = 'orders_queue'", Integer.class)).isEqualTo(1);
        });
  }

  @Test
  void refusesOutOfRangePropertiesWithQueenConfigsMessageNamingEachOne() {
    app.withPropertyValues("queen.db-threads=0", "queen.max-batch-items=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(rootCause(context.getStartupFailure()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("dbThreads must be between 1 and 256, was 0")
          .hasMessageContaining("maxBatchItems must be between 1 and 100000, was 0");
    });
  }

  @Test
  void refusesAnInvalidLifecycleSettingWithItsName() {
    app.withPropertyValues("queen.lifecycle.retention-batch-size=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(rootCause(context.getStartupFailure()))
          .hasMessageContaining("retentionBatchSize must be between 1 and 100000, was 0");
    });
  }

  @Test
  void refusesAValueThatIsNotOfTheSettingsType() {
    app.withPropertyValues("queen.default-subscription-mode=sometimes").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("queen.default-subscription-mode");
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class Meters {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void recordsQueensMetersInTheApplicationsMeterRegistry() {
    app.withUserConfiguration(Meters.class).run(context -> {
      var queen = context.getBean(QueueManager.class);
      queen.pushSync(PushItem.of("metered", "1"));
      var registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("queen.messages.pushed").tag("queue", "metered").counter().count())
          .isEqualTo(1.0);
    });
  }

  @Test
  void reportsHealthUpWhileTheDatabaseAnswersAndDownWhenItIsGone() {
    app.withPropertyValues("spring.datasource.hikari.connection-timeout=1000",
        "queen.health.timeout=3s", "queen.shutdown-timeout=2s").run(context -> {
      var health = context.getBean(QueenHealthIndicator.class);
      assertThat(health.health().getStatus()).isEqualTo(Status.UP);
      assertThat(health.health().getDetails()).containsEntry("database", "reachable")
          .containsEntry("ready", true);

      db.close(); // drops the database, ending its connections

      var down = health.health();
      assertThat(down.getStatus()).isEqualTo(Status.DOWN);
      assertThat(down.getDetails()).containsEntry("database", "unreachable");
    });
  }

  @Test
  void noHealthIndicatorWhenTheApplicationTurnsItOff() {
    app.withPropertyValues("management.health.queen.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(QueenHealthIndicator.class));
  }

  @Test
  void withoutADataSourceOrAUrlTheStartupSaysWhatIsMissing() {
    new ApplicationContextRunner()
        .withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
            QueenAutoConfiguration.class))
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(rootCause(context.getStartupFailure()))
              .hasMessageContaining("Queen needs a DataSource");
        });
  }

  @Test
  void aUrlUnderQueenDatasourceGivesQueenAPoolOfItsOwn() {
    new ApplicationContextRunner()
        .withConfiguration(org.springframework.boot.autoconfigure.AutoConfigurations.of(
            org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration.class,
            QueenAutoConfiguration.class))
        .withPropertyValues("queen.datasource.url=" + db.url(), "queen.datasource.pool-size=2",
            "queen.db-threads=2")
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(DataSource.class);
          var template = context.getBean(QueenTemplate.class);
          assertThat(template.joinsTransaction()).isFalse();
          assertThat(template.send("own-pool", 42).status()).isEqualTo(PushStatus.QUEUED);
        });
  }

  static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
