package io.queen.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Boots the whole sample on a database of its own and follows an order through it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdersApplicationTest {
  private static final TestDatabase DB = TestDatabase.create();
  private static final Duration WAIT = Duration.ofSeconds(15);

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", DB::url);
  }

  /** Drops the test database when the context closes, after the DataSource (and so Queen). */
  @TestConfiguration(proxyBeanMethods = false)
  static class DropDatabaseLast {
    @Bean(destroyMethod = "close")
    TestDatabase testDatabase() {
      return DB;
    }

    @Bean
    static BeanFactoryPostProcessor dataSourceAfterTestDatabase() {
      return beanFactory -> beanFactory.getBeanDefinition("dataSource").setDependsOn("testDatabase");
    }
  }

  @Autowired TestRestTemplate http;
  @Autowired Shipping shipping;

  @Test
  void aPlacedOrderIsSavedAndItsEventShipsItThroughQueen() {
    var created = http.postForEntity("/orders",
        new OrderController.NewOrder("alice", "tea", 2), Map.class);
    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    long id = ((Number) created.getBody().get("id")).longValue();

    await("order " + id + " shipped", () -> "shipped".equals(status(id)));
    assertThat(shipping.shipped()).contains(id);
  }

  @Test
  void anOrderRefusedAfterItsPushRollsBackAndItsEventIsNeverDelivered() {
    var refused = http.postForEntity("/orders",
        new OrderController.NewOrder("bob", "cake", 0), Map.class);
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

    // the next order of the same customer (same partition, so delivered in order) ships, and
    // nothing came before it: the refused order's event was rolled back with its row
    var next = http.postForEntity("/orders",
        new OrderController.NewOrder("bob", "cake", 1), Map.class);
    long id = ((Number) next.getBody().get("id")).longValue();
    await("order " + id + " shipped", () -> "shipped".equals(status(id)));
    assertThat(shipping.shipped()).doesNotContain(id - 1);
    assertThat(http.getForEntity("/orders/" + (id - 1), Map.class).getStatusCode())
        .isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void theActuatorReportsQueenHealthy() {
    var health = http.getForEntity("/actuator/health", Map.class);
    assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
    var queen = (Map<?, ?>) ((Map<?, ?>) health.getBody().get("components")).get("queen");
    assertThat(queen.get("status")).isEqualTo("UP");
  }

  private String status(long id) {
    var r = http.getForEntity("/orders/" + id, Map.class);
    return r.getStatusCode() == HttpStatus.OK ? (String) r.getBody().get("status") : null;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
