package io.queen.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.server.testing.ServerHarness;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics/prometheus} after a known workload over HTTP, read with a Prometheus
 * text-format parser (Hawkular's), not with patterns on our own output.
 */
class PrometheusEndpointTest {
  private ServerHarness h;

  @BeforeEach
  void start() {
    h = ServerHarness.start();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /** The families of one scrape, by name. */
  private Map<String, MetricFamily> scrape() {
    var r = h.get("/metrics/prometheus");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    var walker = new CollectorPrometheusMetricsWalker();
    new TextPrometheusMetricsProcessor(
        new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)), walker).walk();
    var out = new HashMap<String, MetricFamily>();
    walker.getAllMetricFamilies().forEach(f -> out.put(f.getName(), f));
    return out;
  }

  private static Metric sample(Map<String, MetricFamily> families, String name,
      Map<String, String> labels) {
    var f = families.get(name);
    assertThat(f).as("family " + name).isNotNull();
    return f.getMetrics().stream().filter(m -> m.getLabels().entrySet().containsAll(labels.entrySet()))
        .findFirst().orElseThrow(() -> new AssertionError(name + labels + " not in " + f.getMetrics()));
  }

  private static double counter(Map<String, MetricFamily> f, String name, String... labels) {
    var m = sample(f, name, labels(labels));
    assertThat(f.get(name).getType()).isEqualTo(MetricType.COUNTER);
    return ((Counter) m).getValue();
  }

  private static double gauge(Map<String, MetricFamily> f, String name, String... labels) {
    var m = sample(f, name, labels(labels));
    assertThat(f.get(name).getType()).isEqualTo(MetricType.GAUGE);
    return ((Gauge) m).getValue();
  }

  private static Map<String, String> labels(String... kv) {
    var out = new HashMap<String, String>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], kv[i + 1]);
    }
    return out;
  }

  private void push(String queue, int n) {
    var items = new StringBuilder();
    for (int i = 0; i < n; i++) {
      items.append(i > 0 ? "," : "").append("{\"queue\":\"").append(queue)
          .append("\",\"payload\":{\"i\":").append(i).append("}}");
    }
    assertThat(h.post("/api/v1/push", "{\"items\":[" + items + "]}").status()).isEqualTo(201);
  }

  @Test
  void a_scrape_after_a_known_workload_counts_it_exactly() {
    var q = "prom-" + UUID.randomUUID().toString().substring(0, 8);
    push(q, 3);
    push(q, 2);
    var popped = h.get("/api/v1/pop/queue/" + q + "?wait=false&batch=3");
    assertThat(popped.status()).isEqualTo(200);
    var messages = popped.object().getAsJsonArray("messages");
    var acks = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      var m = messages.get(i).getAsJsonObject();
      acks.append(i > 0 ? "," : "").append("{\"transactionId\":\"")
          .append(m.get("transactionId").getAsString()).append("\",\"partitionId\":\"")
          .append(m.get("partitionId").getAsString()).append("\",\"leaseId\":\"")
          .append(m.get("leaseId").getAsString()).append("\",\"status\":\"completed\"}");
    }
    assertThat(h.post("/api/v1/ack/batch", "{\"acknowledgments\":[" + acks + "]}").status())
        .isEqualTo(200);
    assertThat(h.post("/api/v1/push", "{\"items\":[{\"payload\":1}]}").status()).isEqualTo(400);
    assertThat(h.get("/api/v1/resources/queues").status()).isEqualTo(200); // one aggregation

    var f = scrape();

    assertThat(counter(f, "queen_messages_pushed_total", "queue", q)).isEqualTo(5);
    assertThat(counter(f, "queen_messages_popped_total", "queue", q)).isEqualTo(3);
    assertThat(counter(f, "queen_acks_total", "queue", q, "result", "applied")).isEqualTo(3);
    assertThat(counter(f, "queen_requests_total", "operation", "push")).isEqualTo(2);
    assertThat(counter(f, "queen_request_items_total", "operation", "push")).isEqualTo(5);
    assertThat(counter(f, "queen_http_requests_total", "operation", "push")).isEqualTo(3);
    assertThat(counter(f, "queen_http_client_errors_total", "operation", "push")).isEqualTo(1);
    assertThat(counter(f, "queen_http_server_errors_total", "operation", "push")).isZero();
    assertThat(gauge(f, "queen_queue_messages", "queue", q)).isEqualTo(5);
    assertThat(gauge(f, "queen_queue_pending_messages", "queue", q)).isEqualTo(2);
    assertThat(gauge(f, "queen_dlq_depth")).isZero();
    assertThat(gauge(f, "queen_db_pool_size")).isPositive();
    assertThat(gauge(f, "queen_maintenance_mode_enabled")).isZero();
    assertThat(gauge(f, "queen_uptime_seconds")).isNotNegative();
    assertThat(gauge(f, "jvm_memory_used_bytes", "area", "heap")).isPositive();

    var latency = f.get("queen_request_duration_seconds");
    assertThat(latency.getType()).isEqualTo(MetricType.HISTOGRAM);
    var push = (Histogram) sample(f, "queen_request_duration_seconds", labels("operation", "push"));
    assertThat(push.getSampleCount()).isEqualTo(2);
    assertThat(push.getBuckets()).isNotEmpty();
    assertThat(push.getBuckets().get(push.getBuckets().size() - 1).getCumulativeCount())
        .isEqualTo(2);
  }

  @Test
  void counters_only_grow_between_scrapes_and_the_scrape_itself_is_counted() {
    var q = "prom-" + UUID.randomUUID().toString().substring(0, 8);
    push(q, 1);
    var first = scrape();
    push(q, 4);
    var second = scrape();

    assertThat(counter(first, "queen_messages_pushed_total", "queue", q)).isEqualTo(1);
    assertThat(counter(second, "queen_messages_pushed_total", "queue", q)).isEqualTo(5);
    assertThat(counter(second, "queen_http_requests_total", "operation", "metrics"))
        .isEqualTo(counter(first, "queen_http_requests_total", "operation", "metrics") + 1);
    for (var name : List.of("queen_requests_total", "queen_http_requests_total")) {
      assertThat(second.get(name).getMetrics()).hasSizeGreaterThanOrEqualTo(
          first.get(name).getMetrics().size());
    }
  }
}
