package io.queen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.queen.server.testing.ServerHarness;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operations routes over real HTTP with the shapes Queen's admin client and dashboard read:
 * consumer groups, resources, the message browser, purge; and their 400s and 404s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminEndpointsTest {
  private ServerHarness h;

  @BeforeAll
  void start() {
    h = ServerHarness.start();
  }

  @AfterAll
  void stop() {
    h.close();
    assertThat(h.server.ownerThreadViolations()).isZero();
  }

  private static String name(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  private String push(String queue, String partition, int n) {
    var items = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      items.append(i > 1 ? "," : "").append("{\"queue\":\"").append(queue)
          .append("\",\"partition\":\"").append(partition).append("\",\"payload\":{\"i\":")
          .append(i).append("},\"transactionId\":\"").append(partition).append('-').append(i)
          .append("\"}");
    }
    var r = h.post("/api/v1/push", "{\"items\":[" + items + "]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getAsJsonArray().get(0).getAsJsonObject().get("partition_id").getAsString();
  }

  private int popCount(String queue, String group, String extra) {
    var r = h.get("/api/v1/pop/queue/" + queue + "?wait=false&autoAck=true"
        + (group == null ? "" : "&consumerGroup=" + group)
        + (extra.contains("batch=") ? extra : extra + "&batch=100"));
    if (r.status() == 204) {
      return 0;
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.object().getAsJsonArray("messages").size();
  }

  @Test
  void from_beginning_is_accepted_as_all() {
    var queue = name("fb");
    push(queue, "p", 2);
    assertThat(popCount(queue, "g", "&subscriptionMode=from_beginning")).isEqualTo(2);
  }

  @Test
  void a_deleted_group_consumes_again_and_the_list_shows_it_until_then() {
    var queue = name("cg");
    var group = name("g");
    push(queue, "p", 3);
    assertThat(popCount(queue, group, "")).isEqualTo(3);

    var list = h.get("/api/v1/consumer-groups");
    assertThat(list.status()).isEqualTo(200);
    JsonObject entry = null;
    for (var e : list.json().getAsJsonArray()) {
      if (e.getAsJsonObject().get("name").getAsString().equals(group)) {
        entry = e.getAsJsonObject();
      }
    }
    assertThat(entry).as(list.body()).isNotNull();
    assertThat(entry.get("queueName").getAsString()).isEqualTo(queue);
    assertThat(entry.getAsJsonArray("topics").get(0).getAsString()).isEqualTo(queue);
    assertThat(entry.get("members").getAsInt()).isEqualTo(1);
    assertThat(entry.get("totalLag").getAsLong()).isZero();
    assertThat(entry.get("state").getAsString()).isEqualTo("Stable");
    assertThat(entry.get("subscriptionMode").getAsString()).isEqualTo("all");

    var detail = h.get("/api/v1/consumer-groups/" + group).object();
    assertThat(detail.getAsJsonObject(queue).getAsJsonArray("partitions").get(0).getAsJsonObject()
        .get("totalConsumed").getAsLong()).isEqualTo(3);

    var del = h.delete("/api/v1/consumer-groups/" + group + "?deleteMetadata=true");
    assertThat(del.status()).as(del.toString()).isEqualTo(200);
    assertThat(del.object().get("success").getAsBoolean()).isTrue();
    assertThat(del.object().get("deletedPartitions").getAsInt()).isEqualTo(1);
    assertThat(del.object().get("metadataDeleted").getAsBoolean()).isTrue();
    assertThat(popCount(queue, group, "")).isEqualTo(3);
  }

  @Test
  void seek_to_end_by_queue_and_by_partition_and_subscription_updates() {
    var queue = name("sk");
    var group = name("g");
    push(queue, "a", 2);
    assertThat(popCount(queue, group, "")).isEqualTo(2); // the group has a cursor on a only
    push(queue, "b", 2);
    var seek = h.post("/api/v1/consumer-groups/" + group + "/queues/" + queue + "/seek",
        "{\"toEnd\":true}");
    assertThat(seek.status()).as(seek.toString()).isEqualTo(200);
    assertThat(seek.object().get("seekToEnd").getAsBoolean()).isTrue();
    assertThat(seek.object().get("partitionsUpdated").getAsInt()).isEqualTo(1);

    var part = h.post("/api/v1/consumer-groups/" + group + "/queues/" + queue
        + "/partitions/b/seek", "");
    assertThat(part.status()).as(part.toString()).isEqualTo(200);
    assertThat(part.object().get("partitionName").getAsString()).isEqualTo("b");
    assertThat(part.object().get("cursorMovedTo").getAsString()).endsWith("Z");
    assertThat(popCount(queue, group, "")).isZero();

    var sub = h.post("/api/v1/consumer-groups/" + group + "/subscription",
        "{\"subscriptionTimestamp\":\"" + Instant.now() + "\"}");
    assertThat(sub.status()).as(sub.toString()).isEqualTo(200);
    assertThat(sub.object().get("rowsUpdated").getAsInt()).isEqualTo(1);
  }

  @Test
  void bad_group_requests_are_400_or_404_and_change_nothing() {
    var queue = name("bad");
    push(queue, "p", 1);
    var r = h.post("/api/v1/consumer-groups/g/queues/" + queue + "/seek", "{}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("Must specify either 'toEnd': true or 'timestamp'");
    r = h.post("/api/v1/consumer-groups/g/queues/" + queue + "/seek", "{\"timestamp\":\"yesterday\"}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).contains("timestamp");
    r = h.post("/api/v1/consumer-groups/g/subscription", "{}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("Missing subscriptionTimestamp in request body");
    r = h.post("/api/v1/consumer-groups/g/queues/nope-" + queue + "/seek", "{\"toEnd\":true}");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.error()).contains("not found");
    r = h.post("/api/v1/consumer-groups/ghost/queues/" + queue + "/partitions/zz/seek", "");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.error()).contains("zz");
    r = h.get("/api/v1/consumer-groups/ghost-" + queue);
    assertThat(r.status()).isEqualTo(404);
    r = h.delete("/api/v1/consumer-groups/g?deleteMetadata=maybe");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).contains("deleteMetadata");
    r = h.get("/api/v1/consumer-groups/lagging?minLagSeconds=soon");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).contains("minLagSeconds");
    assertThat(popCount(queue, null, "")).as("nothing changed").isEqualTo(1);
  }

  @Test
  void resources_count_what_queues_hold() {
    var queue = name("res");
    h.post("/api/v1/configure", "{\"queue\":\"" + queue + "\",\"namespace\":\"ns-" + queue
        + "\",\"task\":\"t-" + queue + "\"}");
    push(queue, "a", 3);
    assertThat(popCount(queue, null, "&batch=1")).isEqualTo(1);

    var detail = h.get("/api/v1/resources/queues/" + queue);
    assertThat(detail.status()).as(detail.toString()).isEqualTo(200);
    var totals = detail.object().getAsJsonObject("totals");
    assertThat(totals.get("total").getAsLong()).isEqualTo(3);
    assertThat(totals.get("completed").getAsLong()).isEqualTo(1);
    assertThat(totals.get("pending").getAsLong()).isEqualTo(2);
    assertThat(detail.object().getAsJsonArray("partitions")).hasSize(2); // Default and a

    var queues = h.get("/api/v1/resources/queues?namespace=ns-" + queue).object()
        .getAsJsonArray("queues");
    assertThat(queues).hasSize(1);
    assertThat(queues.get(0).getAsJsonObject().getAsJsonObject("messages").get("pending")
        .getAsLong()).isEqualTo(2);
    var overview = h.get("/api/v1/resources/overview").object();
    assertThat(overview.get("queues").getAsInt()).isPositive();
    assertThat(overview.getAsJsonObject("messages").get("total").getAsLong()).isGreaterThanOrEqualTo(3);
    assertThat(overview.getAsJsonObject("lag").getAsJsonObject("time").keySet())
        .contains("avg", "median", "min", "max");
    assertThat(h.get("/api/v1/resources/namespaces").body()).contains("ns-" + queue);
    assertThat(h.get("/api/v1/resources/tasks").body()).contains("t-" + queue);
    var missing = h.get("/api/v1/resources/queues/none-" + queue);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.error()).isEqualTo("Queue not found");
  }

  @Test
  void the_browser_reads_and_deletes_one_message_and_purge_clears_a_queue() {
    var queue = name("msg");
    var pid = push(queue, "a", 3);

    var list = h.get("/api/v1/messages?queue=" + queue);
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    var messages = list.object().getAsJsonArray("messages");
    assertThat(messages).hasSize(3);
    var first = messages.get(0).getAsJsonObject();
    assertThat(first.get("transactionId").getAsString()).isEqualTo("a-3");
    assertThat(first.get("queuePath").getAsString()).isEqualTo(queue + "/a");
    assertThat(first.get("status").getAsString()).isEqualTo("pending");
    assertThat(list.object().getAsJsonObject("mode").get("type").getAsString()).isEqualTo("none");

    var one = h.get("/api/v1/messages/" + pid + "/a-2");
    assertThat(one.status()).as(one.toString()).isEqualTo(200);
    assertThat(one.object().getAsJsonObject("payload").get("i").getAsInt()).isEqualTo(2);
    assertThat(one.object().getAsJsonObject("queueConfig").get("retryLimit").getAsInt()).isEqualTo(3);

    var del = h.delete("/api/v1/messages/" + pid + "/a-2");
    assertThat(del.status()).isEqualTo(200);
    assertThat(del.object().get("success").getAsBoolean()).isTrue();
    assertThat(h.delete("/api/v1/messages/" + pid + "/a-2").status()).isEqualTo(404);
    assertThat(h.get("/api/v1/messages/" + pid + "/a-2").error()).isEqualTo("Message not found");
    assertThat(h.get("/api/v1/messages/not-a-uuid/a-1").status()).isEqualTo(400);
    assertThat(h.get("/api/v1/messages?status=lost").error()).contains("status");
    assertThat(h.get("/api/v1/messages?from=2026-13-01").error()).contains("from");

    var recent = h.get("/api/v1/status/queues/" + queue + "/messages?limit=1");
    assertThat(recent.status()).isEqualTo(200);
    assertThat(recent.json().getAsJsonArray()).hasSize(1);

    var purge = h.delete("/api/v1/queues/" + queue + "/clear");
    assertThat(purge.status()).as(purge.toString()).isEqualTo(200);
    assertThat(purge.object().get("deleted").getAsLong()).isEqualTo(2);
    assertThat(popCount(queue, null, "")).isZero();
    assertThat(h.delete("/api/v1/queues/none-" + queue + "/clear").status()).isEqualTo(404);
  }

  @Test
  void status_and_analytics_answer_with_their_shapes() {
    var queue = name("st");
    push(queue, "a", 2);
    var status = h.get("/api/v1/status");
    assertThat(status.status()).as(status.toString()).isEqualTo(200);
    assertThat(status.object().keySet()).contains("timeRange", "bucketMinutes", "pointCount",
        "throughput", "queues", "messages", "leases", "deadLetterQueue", "errors", "workers");
    assertThat(status.object().getAsJsonObject("messages").get("total").getAsLong())
        .isGreaterThanOrEqualTo(2);

    var queues = h.get("/api/v1/status/queues?limit=1000");
    assertThat(queues.status()).isEqualTo(200);
    assertThat(queues.body()).contains(queue);
    assertThat(queues.object().getAsJsonObject("pagination").get("limit").getAsInt()).isEqualTo(1000);

    var one = h.get("/api/v1/status/queues/" + queue);
    assertThat(one.status()).as(one.toString()).isEqualTo(200);
    assertThat(one.object().getAsJsonObject("queue").getAsJsonObject("config").get("retryLimit")
        .getAsInt()).isEqualTo(3);
    assertThat(one.object().getAsJsonObject("totals").getAsJsonObject("messages").get("pending")
        .getAsLong()).isEqualTo(2);
    assertThat(h.get("/api/v1/status/queues/none-" + queue).status()).isEqualTo(404);

    var analytics = h.get("/api/v1/status/analytics?interval=minute");
    assertThat(analytics.status()).isEqualTo(200);
    assertThat(analytics.object().get("interval").getAsString()).isEqualTo("minute");
    for (var path : new String[] {"system-metrics", "worker-metrics", "queue-ops", "queue-lag",
        "queue-parked-replicas", "retention", "postgres-stats"}) {
      var r = h.get("/api/v1/analytics/" + path);
      assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
    }
    var pg = h.get("/api/v1/analytics/postgres-stats").object();
    assertThat(pg.getAsJsonArray("tableSizes").toString()).contains("messages");
    var refresh = h.post("/api/v1/stats/refresh", "");
    assertThat(refresh.status()).isEqualTo(200);
    assertThat(refresh.object().get("partitionsCorrected").getAsInt()).isZero();
  }

  @Test
  void status_and_analytics_refuse_bad_ranges_and_intervals() {
    assertThat(h.get("/api/v1/status/analytics?interval=week").error()).contains("interval");
    assertThat(h.get("/api/v1/analytics/queue-ops?from=soon").error()).contains("from");
    var r = h.get("/api/v1/analytics/queue-ops?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).contains("before");
    r = h.get("/api/v1/analytics/worker-metrics?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).contains("31 days");
    assertThat(h.get("/api/v1/status/queues?limit=0").status()).isEqualTo(400);
  }

  // ---- what the dashboard reads (ours) -------------------------------------------------------

  @Test
  void a_queues_partitions_are_searched_sorted_and_paged_on_request() {
    var q = name("paged");
    for (var p : new String[] {"eu-1", "eu-2", "us-1", "us-2", "asia-1"}) {
      push(q, p, p.equals("us-2") ? 3 : 1);
    }
    var all = h.get("/api/v1/status/queues/" + q).object();
    assertThat(all.getAsJsonArray("partitions")).as("no parameter: every partition").hasSize(5);
    assertThat(all.get("partitionCount").getAsInt()).isEqualTo(5);

    var page = h.get("/api/v1/status/queues/" + q
        + "?partitionSearch=US&partitionSort=pending&partitionOrder=desc&partitionLimit=1").object();
    assertThat(page.get("partitionCount").getAsInt()).isEqualTo(5);
    assertThat(page.get("partitionsMatched").getAsInt()).isEqualTo(2);
    assertThat(page.getAsJsonArray("partitions")).extracting(p -> p.getAsJsonObject()
        .get("name").getAsString()).containsExactly("us-2");
    var second = h.get("/api/v1/status/queues/" + q
        + "?partitionSort=name&partitionLimit=2&partitionOffset=2").object();
    assertThat(second.getAsJsonArray("partitions")).extracting(p -> p.getAsJsonObject()
        .get("name").getAsString()).containsExactly("eu-2", "us-1");
    assertThat(page.getAsJsonObject("totals").getAsJsonObject("messages").get("total").getAsInt())
        .as("totals are the queue's, not the page's").isEqualTo(7);
    var numbered = name("numbered");
    for (var p : new String[] {"p10", "p2", "p1", "p02b"}) {
      push(numbered, p, 1);
    }
    var natural = h.get("/api/v1/status/queues/" + numbered + "?partitionSort=name").object();
    assertThat(natural.getAsJsonArray("partitions")).extracting(p -> p.getAsJsonObject()
        .get("name").getAsString()).as("numbers by value").containsExactly("p1", "p2", "p02b", "p10");
    var beyond = h.get("/api/v1/status/queues/" + q + "?partitionOffset=99").object();
    assertThat(beyond.getAsJsonArray("partitions")).isEmpty();

    assertThat(h.get("/api/v1/status/queues/" + q + "?partitionSort=size").error())
        .contains("partitionSort must be one of").contains("pending").contains("'size'");
    assertThat(h.get("/api/v1/status/queues/" + q + "?partitionOrder=up").error())
        .isEqualTo("partitionOrder must be asc or desc, was 'up'");
    assertThat(h.get("/api/v1/status/queues/" + q + "?partitionLimit=0").error())
        .isEqualTo("partitionLimit must be between 1 and 10000, was 0");
    assertThat(h.get("/api/v1/status/queues/" + q + "?partitionOffset=-1").status()).isEqualTo(400);
  }

  @Test
  void queue_lists_carry_the_last_push_to_any_partition() {
    var q = name("active");
    push(q, "a", 1);
    var before = Instant.now();
    push(q, "b", 1);
    var listed = h.get("/api/v1/resources/queues").object().getAsJsonArray("queues").asList()
        .stream().map(e -> e.getAsJsonObject()).filter(o -> o.get("name").getAsString().equals(q))
        .findFirst().orElseThrow();
    var last = Instant.parse(listed.get("lastActivity").getAsString());
    assertThat(last).isAfterOrEqualTo(before.minusSeconds(1));
  }

  @Test
  void the_session_says_anyone_may_do_anything_without_authentication() {
    var s = h.get("/api/v1/session").object();
    assertThat(s.get("authEnabled").getAsBoolean()).isFalse();
    assertThat(s.get("access").getAsString()).isEqualTo("admin");
    assertThat(s.get("subject").isJsonNull()).isTrue();
  }

  @Test
  void the_effective_configuration_masks_every_secret() {
    var key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    var env = new java.util.HashMap<String, String>();
    try (var secret = ServerHarness.start(e -> {
      e.put("QUEEN_ENCRYPTION_KEY", key);
      env.putAll(e);
      return e;
    })) {
      var reply = secret.get("/api/v1/system/config");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).doesNotContain(key);
      var config = reply.object().getAsJsonObject("config");
      assertThat(config.get("QUEEN_ENCRYPTION_KEY").getAsString()).isEqualTo("****");
      var password = env.get("PG_PASSWORD");
      if (password != null && !password.isEmpty()) { // CI's database has one; a trust setup none
        assertThat(config.get("PG_PASSWORD").getAsString()).isEqualTo("****");
      }
      assertThat(config.get("PORT").getAsInt()).isEqualTo(0);
      assertThat(config.get("DASHBOARD_ENABLED").getAsBoolean()).isTrue();
    }
  }
}
