package io.queen.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.queen.server.testing.ServerHarness;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every endpoint against a real server and PostgreSQL: success shapes, validation errors, 404s. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointContractTest {
  private ServerHarness h;

  @BeforeAll
  void start() {
    h = ServerHarness.start(env -> {
      env.put("MAX_BODY_SIZE", "65536");
      return env;
    });
  }

  @AfterAll
  void stop() {
    h.close();
    assertThat(h.server.ownerThreadViolations()).isZero();
  }

  private static String q() {
    return "q" + UUID.randomUUID().toString().substring(0, 8);
  }

  private JsonArray push(String queue, String partition, String payload, String txId) {
    var item = "{\"queue\":\"" + queue + "\"" + (partition == null ? "" : ",\"partition\":\"" + partition + "\"")
        + ",\"payload\":" + payload + (txId == null ? "" : ",\"transactionId\":\"" + txId + "\"") + "}";
    var r = h.post("/api/v1/push", "{\"items\":[" + item + "]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getAsJsonArray();
  }

  private JsonObject popOne(String path) {
    var r = h.get(path);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.object();
  }

  // ---- configure / delete -----------------------------------------------------------------

  @Test
  void configure_returns_the_queue_with_every_option_and_its_defaults() {
    var queue = q();
    var r = h.post("/api/v1/configure", "{\"queue\":\"" + queue + "\",\"namespace\":\"billing\","
        + "\"task\":null,\"options\":{\"leaseTime\":30,\"retryLimit\":5,\"encryptionEnabled\":false,\"unknown\":1}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    var o = r.object();
    assertThat(o.get("configured").getAsBoolean()).isTrue();
    assertThat(o.get("queue").getAsString()).isEqualTo(queue);
    assertThat(o.get("namespace").getAsString()).isEqualTo("billing");
    assertThat(o.get("task").getAsString()).isEmpty();
    assertThat(o.get("queueId").getAsString()).hasSize(36);
    assertThat(o.get("partitionId").getAsString()).hasSize(36);
    var opts = o.getAsJsonObject("options");
    assertThat(opts.get("leaseTime").getAsInt()).isEqualTo(30);
    assertThat(opts.get("retryLimit").getAsInt()).isEqualTo(5);
    assertThat(opts.get("ttl").getAsInt()).isEqualTo(3600);
    assertThat(opts.keySet()).contains("priority", "retryDelay", "maxSize", "deadLetterQueue",
        "dlqAfterMaxRetries", "delayedProcessing", "windowBuffer", "retentionSeconds",
        "completedRetentionSeconds", "retentionEnabled", "encryptionEnabled", "maxWaitTimeSeconds");
  }

  @Test
  void configure_refuses_a_missing_queue_and_options_of_the_wrong_type() {
    assertThat(h.post("/api/v1/configure", "{\"options\":{}}").error()).isEqualTo("queue is required");
    var r = h.post("/api/v1/configure", "{\"queue\":\"x\",\"options\":{\"leaseTime\":\"long\"}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).isEqualTo("options.leaseTime must be an integer");
    r = h.post("/api/v1/configure", "{\"queue\":\"x\",\"options\":{\"retentionEnabled\":1}}");
    assertThat(r.error()).isEqualTo("options.retentionEnabled must be a boolean");
    r = h.post("/api/v1/configure", "{\"queue\":\"x\",\"options\":{\"leaseTime\":-1}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).contains("leaseTime");
    r = h.post("/api/v1/configure", "{\"queue\":\"x\",\"options\":{\"ttl\":1.5}}");
    assertThat(r.error()).contains("options.ttl must be an integer");
    r = h.post("/api/v1/configure", "{\"queue\":\"x\",\"options\":{\"retryBackoff\":\"2\"}}");
    assertThat(r.error()).isEqualTo("options.retryBackoff must be a number");
    r = h.post("/api/v1/configure", "{\"queue\":\"x\",\"options\":{\"retryBackoff\":0.5}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).contains("retryBackoff must be between 1 and 100, was 0.5");
  }

  @Test
  void configure_takes_the_retry_back_off_options_and_echoes_them() {
    var r = h.post("/api/v1/configure", "{\"queue\":\"" + q() + "\",\"options\":{\"retryDelay\":500,"
        + "\"retryBackoff\":1.5,\"retryDelayMax\":8000}}");
    assertThat(r.status()).isEqualTo(200);
    var o = r.json().getAsJsonObject().getAsJsonObject("options");
    assertThat(o.get("retryDelay").getAsInt()).isEqualTo(500);
    assertThat(o.get("retryBackoff").getAsDouble()).isEqualTo(1.5);
    assertThat(o.get("retryDelayMax").getAsInt()).isEqualTo(8000);
  }

  @Test
  void delete_reports_whether_the_queue_existed() {
    var queue = q();
    push(queue, null, "1", null);
    var r = h.delete("/api/v1/resources/queues/" + queue);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.object().get("deleted").getAsBoolean()).isTrue();
    assertThat(r.object().get("existed").getAsBoolean()).isTrue();
    assertThat(r.object().get("queue").getAsString()).isEqualTo(queue);
    assertThat(h.delete("/api/v1/resources/queues/" + queue).object().get("existed").getAsBoolean()).isFalse();
  }

  // ---- push ----------------------------------------------------------------------------------

  @Test
  void push_answers_201_with_one_snake_case_result_per_item_and_reports_duplicates() {
    var queue = q();
    var traceId = UUID.randomUUID().toString();
    var r = h.post("/api/v1/push", "{\"items\":["
        + "{\"queue\":\"" + queue + "\",\"partition\":\"p1\",\"payload\":{\"a\":[1,2.5,\"x\"]},\"transactionId\":\"t1\",\"traceId\":\"" + traceId + "\"},"
        + "{\"queue\":\"" + queue + "\",\"partition\":\"p1\",\"payload\":null,\"transactionId\":\"t1\"},"
        + "{\"queue\":\"" + queue + "\"}]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    var a = r.json().getAsJsonArray();
    assertThat(a).hasSize(3);
    var first = a.get(0).getAsJsonObject();
    assertThat(first.keySet()).contains("index", "transaction_id", "status", "message_id",
        "partition_id", "trace_id", "queueName");
    assertThat(first.get("status").getAsString()).isEqualTo("queued");
    assertThat(first.get("transaction_id").getAsString()).isEqualTo("t1");
    assertThat(first.get("trace_id").getAsString()).isEqualTo(traceId);
    assertThat(first.get("queueName").getAsString()).isEqualTo(queue);
    var dup = a.get(1).getAsJsonObject();
    assertThat(dup.get("status").getAsString()).isEqualTo("duplicate");
    assertThat(dup.get("message_id").getAsString()).isEqualTo(first.get("message_id").getAsString());
    assertThat(a.get(2).getAsJsonObject().get("transaction_id").getAsString()).isNotEmpty();
    assertThat(h.post("/api/v1/push", "{\"items\":[]}").toString()).isEqualTo("201 []");
  }

  @Test
  void push_refuses_bad_input_with_a_message_naming_the_field() {
    assertThat(h.post("/api/v1/push", "{\"items\":[{\"queue\": 5}]}").error())
        .isEqualTo("items[0].queue must be a string");
    assertThat(h.post("/api/v1/push", "{\"items\":[{\"payload\": 5}]}").error())
        .isEqualTo("items[0].queue is required");
    assertThat(h.post("/api/v1/push", "{}").error()).isEqualTo("items is required");
    assertThat(h.post("/api/v1/push", "{\"items\":{}}").error()).isEqualTo("items must be an array");
    assertThat(h.post("/api/v1/push", "{\"items\":[{\"queue\":\"a\",\"partition\":7}]}").error())
        .isEqualTo("items[0].partition must be a string");
    assertThat(h.post("/api/v1/push", "{\"items\":[{\"queue\":\"a\",\"transactionId\":true}]}").error())
        .isEqualTo("items[0].transactionId must be a string");
    var r = h.post("/api/v1/push", "{\"items\":[{\"queue\":\"a\"},{\"queue\":\"a\",\"traceId\":\"nope\"}]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).startsWith("items[1].traceId must be a UUID");
    r = h.post("/api/v1/push", "{\"items\":[{\"queue\":\"a\",\"payload\":{a:1}}]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).startsWith("Invalid JSON");
    assertThat(h.post("/api/v1/push", "").error()).isEqualTo("Empty request body");
    assertThat(h.post("/api/v1/push", "[1]").error()).isEqualTo("request body must be a JSON object");
    assertThat(h.post("/api/v1/push", "{\"items\":[]} x").error()).startsWith("Invalid JSON");
    assertThat(h.post("/api/v1/push", "{\"items\":[{\"queue\":\"\"}]}").error()).contains("items[0].queue");
    // what PostgreSQL's jsonb cannot hold is refused for its item, before it could fail a batch
    r = h.post("/api/v1/push", "{\"items\":[{\"queue\":\"a\",\"payload\":{\"s\":\"x\\u0000y\"}}]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).startsWith("items[0].payload").contains("\\u0000");
    var deep = "[".repeat(600) + "]".repeat(600);
    r = h.post("/api/v1/push", "{\"items\":[{\"queue\":\"a\",\"payload\":" + deep + "}]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error()).contains("nested deeper than 512");
  }

  @Test
  void a_body_over_the_limit_is_refused_with_413() {
    var big = "{\"items\":[{\"queue\":\"big\",\"payload\":\"" + "x".repeat(70_000) + "\"}]}";
    var r = h.post("/api/v1/push", big);
    assertThat(r.status()).isEqualTo(413);
    // The server still serves after refusing.
    assertThat(h.get("/health").status()).isEqualTo(200);
  }

  // ---- pop -----------------------------------------------------------------------------------

  @Test
  void pop_returns_messages_with_the_reference_fields_then_204_when_empty() {
    var queue = q();
    push(queue, "p1", "{\"n\":1}", "tx-1");
    var o = popOne("/api/v1/pop/queue/" + queue + "?batch=10");
    assertThat(o.keySet()).contains("success", "queue", "partition", "partitionId", "leaseId",
        "consumerGroup", "partitionsClaimed", "messages");
    assertThat(o.get("consumerGroup").getAsString()).isEqualTo("__QUEUE_MODE__");
    assertThat(o.get("partition").getAsString()).isEqualTo("p1");
    var m = o.getAsJsonArray("messages").get(0).getAsJsonObject();
    assertThat(m.keySet()).contains("id", "transactionId", "traceId", "data", "producerSub",
        "createdAt", "partitionId", "partition", "leaseId", "consumerGroup");
    assertThat(m.get("data").getAsJsonObject().get("n").getAsInt()).isEqualTo(1);
    assertThat(m.get("transactionId").getAsString()).isEqualTo("tx-1");
    assertThat(m.get("createdAt").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(m.get("leaseId").getAsString()).isEqualTo(o.get("leaseId").getAsString());
    var empty = h.get("/api/v1/pop/queue/" + queue);
    assertThat(empty.status()).isEqualTo(204);
    assertThat(empty.body()).isEmpty();
  }

  @Test
  void pop_from_a_named_partition_with_a_group_and_auto_ack() {
    var queue = q();
    push(queue, "a", "1", null);
    push(queue, "b", "2", null);
    var o = popOne("/api/v1/pop/queue/" + queue + "/partition/b?consumerGroup=g1&autoAck=true");
    assertThat(o.get("partition").getAsString()).isEqualTo("b");
    assertThat(o.get("consumerGroup").getAsString()).isEqualTo("g1");
    assertThat(o.get("leaseId").getAsString()).isEmpty();
    assertThat(o.getAsJsonArray("messages").get(0).getAsJsonObject().get("data").getAsInt()).isEqualTo(2);
    assertThat(h.get("/api/v1/pop/queue/" + queue + "/partition/b?consumerGroup=g1").status()).isEqualTo(204);
    assertThat(h.get("/api/v1/pop/queue/" + queue + "/partition/nope").status()).isEqualTo(204);
    // group g1 starts at the beginning of a: subscription mode all by default
    assertThat(popOne("/api/v1/pop/queue/" + queue + "/partition/a?consumerGroup=g1&autoAck=1")
        .getAsJsonArray("messages")).hasSize(1);
  }

  @Test
  void pop_by_namespace_and_task_finds_queues_by_their_dotted_name() {
    var ns = "ns" + UUID.randomUUID().toString().substring(0, 6);
    push(ns + ".jobs.x", null, "{\"k\":7}", null);
    var o = popOne("/api/v1/pop?namespace=" + ns + "&task=jobs&autoAck=true");
    assertThat(o.get("queue").getAsString()).isEqualTo(ns + ".jobs.x");
    assertThat(h.get("/api/v1/pop").status()).isEqualTo(400);
  }

  @Test
  void pop_refuses_malformed_query_parameters_naming_them() {
    assertThat(h.get("/api/v1/pop/queue/x?batch=ten").error()).isEqualTo("batch must be an integer, was 'ten'");
    assertThat(h.get("/api/v1/pop/queue/x?batch=0").error()).startsWith("batch must be between 1 and");
    assertThat(h.get("/api/v1/pop/queue/x?partitions=2x").error()).startsWith("partitions must be an integer");
    assertThat(h.get("/api/v1/pop/queue/x?wait=true&timeout=soon").error()).startsWith("timeout must be an integer");
    assertThat(h.get("/api/v1/pop/queue/x?consumerGroup=g&subscriptionMode=sometimes").error())
        .contains("subscriptionMode");
    assertThat(h.get("/api/v1/pop/queue/x?consumerGroup=g&subscriptionFrom=yesterday").error())
        .startsWith("subscriptionFrom must be an ISO-8601 timestamp");
    // Exact names: xbatch is not batch (the original matched substrings).
    assertThat(h.get("/api/v1/pop/queue/x?xbatch=oops").status()).isEqualTo(204);
  }

  @Test
  void path_parameters_are_percent_decoded() {
    var queue = "odd name/with%" + UUID.randomUUID().toString().substring(0, 4);
    push(queue, "p 1", "1", null);
    var path = "/api/v1/pop/queue/" + URLEncoder.encode(queue, StandardCharsets.UTF_8).replace("+", "%20")
        + "/partition/p%201?autoAck=true";
    var o = popOne(path);
    assertThat(o.get("queue").getAsString()).isEqualTo(queue);
    assertThat(o.get("partition").getAsString()).isEqualTo("p 1");
    assertThat(h.get("/api/v1/pop/queue/bad%C3%28").status()).isEqualTo(400);
  }

  // ---- ack -----------------------------------------------------------------------------------

  @Test
  void ack_settles_a_message_and_reports_an_unknown_one_as_success_false() {
    var queue = q();
    push(queue, null, "1", "tx-a");
    var o = popOne("/api/v1/pop/queue/" + queue);
    var m = o.getAsJsonArray("messages").get(0).getAsJsonObject();
    var r = h.post("/api/v1/ack", "{\"transactionId\":\"tx-a\",\"partitionId\":\"" + m.get("partitionId").getAsString()
        + "\",\"status\":\"completed\",\"consumerGroup\":null,\"leaseId\":\"" + o.get("leaseId").getAsString() + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    var a = r.json().getAsJsonArray().get(0).getAsJsonObject();
    assertThat(a.keySet()).contains("index", "transactionId", "success", "error", "queueName",
        "partitionName", "leaseReleased", "dlq");
    assertThat(a.get("success").getAsBoolean()).isTrue();
    assertThat(a.get("leaseReleased").getAsBoolean()).isTrue();
    assertThat(a.get("queueName").getAsString()).isEqualTo(queue);
    var missing = h.post("/api/v1/ack", "{\"transactionId\":\"nope\",\"partitionId\":\""
        + UUID.randomUUID() + "\"}").json().getAsJsonArray().get(0).getAsJsonObject();
    assertThat(missing.get("success").getAsBoolean()).isFalse();
    assertThat(missing.get("error").getAsString()).isEqualTo("Message not found");
  }

  @Test
  void ack_refuses_missing_fields_wrong_types_and_unknown_statuses() {
    var pid = UUID.randomUUID();
    assertThat(h.post("/api/v1/ack", "{\"partitionId\":\"" + pid + "\"}").error()).isEqualTo("transactionId is required");
    assertThat(h.post("/api/v1/ack", "{\"transactionId\":\"t\"}").error()).isEqualTo("partitionId is required");
    assertThat(h.post("/api/v1/ack", "{\"transactionId\":1,\"partitionId\":\"" + pid + "\"}").error())
        .isEqualTo("transactionId must be a string");
    assertThat(h.post("/api/v1/ack", "{\"transactionId\":\"t\",\"partitionId\":\"" + pid + "\",\"status\":\"maybe\"}").error())
        .startsWith("status must be one of");
    assertThat(h.post("/api/v1/ack", "{\"transactionId\":\"t\",\"partitionId\":\"xyz\"}").error())
        .startsWith("partitionId must be a UUID");
  }

  @Test
  void batch_ack_acks_each_entry_on_its_own_with_the_top_level_group() {
    var queue = q();
    push(queue, null, "1", "b1");
    push(queue, null, "2", "b2");
    var o = popOne("/api/v1/pop/queue/" + queue + "?batch=2&consumerGroup=grp");
    var msgs = o.getAsJsonArray("messages");
    assertThat(msgs).hasSize(2);
    var pid = msgs.get(0).getAsJsonObject().get("partitionId").getAsString();
    var r = h.post("/api/v1/ack/batch", "{\"consumerGroup\":\"grp\",\"acknowledgments\":["
        + "{\"transactionId\":\"b1\",\"partitionId\":\"" + pid + "\",\"status\":\"completed\",\"consumerGroup\":\"other\"},"
        + "{\"transactionId\":\"zz\",\"partitionId\":\"" + pid + "\",\"status\":\"completed\"},"
        + "{\"transactionId\":\"b2\",\"partitionId\":\"" + pid + "\",\"status\":\"success\"}]}");
    assertThat(r.status()).isEqualTo(200);
    var a = r.json().getAsJsonArray();
    assertThat(a).hasSize(3);
    assertThat(a.get(0).getAsJsonObject().get("success").getAsBoolean()).isTrue();
    assertThat(a.get(1).getAsJsonObject().get("success").getAsBoolean()).isFalse();
    assertThat(a.get(2).getAsJsonObject().get("success").getAsBoolean()).isTrue();
    assertThat(h.post("/api/v1/ack/batch", "{}").error()).isEqualTo("acknowledgments is required");
    assertThat(h.post("/api/v1/ack/batch", "{\"acknowledgments\":[{\"partitionId\":\"" + pid + "\"}]}").error())
        .isEqualTo("acknowledgments[0].transactionId is required");
  }

  // ---- lease ---------------------------------------------------------------------------------

  @Test
  void lease_extend_answers_one_result_and_reports_an_unknown_lease() {
    var queue = q();
    push(queue, null, "1", null);
    var lease = popOne("/api/v1/pop/queue/" + queue).get("leaseId").getAsString();
    var r = h.post("/api/v1/lease/" + lease + "/extend", "{\"seconds\":120}");
    assertThat(r.status()).isEqualTo(200);
    var e = r.json().getAsJsonArray().get(0).getAsJsonObject();
    assertThat(e.keySet()).contains("index", "leaseId", "success", "error", "expiresAt");
    assertThat(e.get("success").getAsBoolean()).isTrue();
    assertThat(e.get("expiresAt").getAsString()).endsWith("Z");
    assertThat(h.post("/api/v1/lease/" + lease + "/extend", "").status()).isEqualTo(200);
    var unknown = h.post("/api/v1/lease/" + UUID.randomUUID() + "/extend", "{}").json().getAsJsonArray().get(0).getAsJsonObject();
    assertThat(unknown.get("success").getAsBoolean()).isFalse();
    assertThat(unknown.get("error").getAsString()).isEqualTo("Lease not found");
    assertThat(h.post("/api/v1/lease/not-a-lease/extend", "{}").error()).startsWith("leaseId must be a UUID");
    assertThat(h.post("/api/v1/lease/" + lease + "/extend", "{\"seconds\":\"x\"}").error()).isEqualTo("seconds must be an integer");
  }

  // ---- transaction ---------------------------------------------------------------------------

  @Test
  void transaction_commits_acks_and_pushes_together_and_answers_in_operation_order() {
    var in = q();
    var out = q();
    push(in, null, "1", "tin");
    var o = popOne("/api/v1/pop/queue/" + in);
    var pid = o.getAsJsonArray("messages").get(0).getAsJsonObject().get("partitionId").getAsString();
    var lease = o.get("leaseId").getAsString();
    var r = h.post("/api/v1/transaction", "{\"operations\":["
        + "{\"type\":\"push\",\"items\":[{\"queue\":\"" + out + "\",\"payload\":{\"x\":1}},{\"queue\":\"" + out + "\",\"payload\":2}]},"
        + "{\"type\":\"ack\",\"transactionId\":\"tin\",\"partitionId\":\"" + pid + "\",\"status\":\"completed\"}],"
        + "\"requiredLeases\":[\"" + lease + "\"]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    var t = r.object();
    assertThat(t.get("success").getAsBoolean()).isTrue();
    assertThat(t.get("transactionId").getAsString()).hasSize(36);
    var results = t.getAsJsonArray("results");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).getAsJsonObject().get("type").getAsString()).isEqualTo("push");
    assertThat(results.get(0).getAsJsonObject().get("messageId").getAsString()).hasSize(36);
    assertThat(results.get(2).getAsJsonObject().get("type").getAsString()).isEqualTo("ack");
    assertThat(results.get(2).getAsJsonObject().get("success").getAsBoolean()).isTrue();
    assertThat(popOne("/api/v1/pop/queue/" + out + "?batch=5&autoAck=true").getAsJsonArray("messages")).hasSize(2);
  }

  @Test
  void transaction_rolls_back_when_a_required_lease_is_not_live() {
    var out = q();
    var r = h.post("/api/v1/transaction", "{\"operations\":[{\"type\":\"push\",\"items\":[{\"queue\":\"" + out
        + "\",\"payload\":1}]}],\"requiredLeases\":[\"" + UUID.randomUUID() + "\"]}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.object().get("success").getAsBoolean()).isFalse();
    assertThat(r.object().get("error").getAsString()).isNotEmpty();
    assertThat(h.get("/api/v1/pop/queue/" + out).status()).isEqualTo(204);
  }

  @Test
  void transaction_refuses_bad_operations_naming_them() {
    assertThat(h.post("/api/v1/transaction", "{}").error()).isEqualTo("operations is required");
    assertThat(h.post("/api/v1/transaction", "{\"operations\":[]}").error()).isEqualTo("operations array cannot be empty");
    assertThat(h.post("/api/v1/transaction", "{\"operations\":[{\"type\":\"delete\"}]}").error())
        .isEqualTo("operations[0].type must be 'ack' or 'push', was 'delete'");
    assertThat(h.post("/api/v1/transaction", "{\"operations\":[{\"type\":\"push\",\"items\":[{\"queue\":1}]}]}").error())
        .isEqualTo("operations[0].items[0].queue must be a string");
    assertThat(h.post("/api/v1/transaction", "{\"operations\":[{\"type\":\"push\",\"items\":[{\"queue\":\"a\"}]},"
        + "{\"type\":\"ack\",\"transactionId\":\"t\",\"partitionId\":\"bad\"}]}").error())
        .startsWith("operations[1].partitionId must be a UUID");
  }

  // ---- traces --------------------------------------------------------------------------------

  @Test
  void traces_are_recorded_and_read_by_message_by_name_and_as_names() {
    var queue = q();
    push(queue, null, "{\"p\":1}", "tr-1");
    var m = popOne("/api/v1/pop/queue/" + queue + "?autoAck=true").getAsJsonArray("messages").get(0).getAsJsonObject();
    var pid = m.get("partitionId").getAsString();
    var name = "name-" + queue;
    var r = h.post("/api/v1/traces", "{\"transactionId\":\"tr-1\",\"partitionId\":\"" + pid
        + "\",\"traceNames\":[\"" + name + "\"],\"eventType\":\"step\",\"data\":{\"ok\":true}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.object().get("success").getAsBoolean()).isTrue();
    assertThat(r.object().get("traceId").getAsString()).hasSize(36);
    var byMessage = h.get("/api/v1/traces/" + pid + "/tr-1").object().getAsJsonArray("traces");
    assertThat(byMessage).hasSize(1);
    assertThat(byMessage.get(0).getAsJsonObject().keySet()).contains("id", "event_type", "data",
        "consumer_group", "worker_id", "created_at", "trace_names");
    var byName = h.get("/api/v1/traces/by-name/" + name + "?limit=10").object();
    assertThat(byName.get("total").getAsLong()).isEqualTo(1);
    assertThat(byName.getAsJsonObject("pagination").get("limit").getAsInt()).isEqualTo(10);
    var t = byName.getAsJsonArray("traces").get(0).getAsJsonObject();
    assertThat(t.get("queue_name").getAsString()).isEqualTo(queue);
    assertThat(t.getAsJsonObject("message_payload").get("p").getAsInt()).isEqualTo(1);
    var names = h.get("/api/v1/traces/names?limit=1000").object();
    assertThat(names.getAsJsonArray("trace_names").toString()).contains(name);
    assertThat(h.post("/api/v1/traces", "{\"transactionId\":\"x\",\"partitionId\":\"" + pid + "\"}").error())
        .isEqualTo("data is required");
    var missing = h.post("/api/v1/traces", "{\"transactionId\":\"nope\",\"partitionId\":\"" + pid + "\",\"data\":{}}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(h.get("/api/v1/traces/names?limit=abc").status()).isEqualTo(400);
  }

  // ---- dead-letter queue ---------------------------------------------------------------------

  @Test
  void dlq_lists_dead_letters_and_requeue_makes_them_deliverable_again() {
    var queue = q();
    push(queue, null, "{\"d\":1}", "dead-1");
    var o = popOne("/api/v1/pop/queue/" + queue);
    var pid = o.getAsJsonArray("messages").get(0).getAsJsonObject().get("partitionId").getAsString();
    var ack = h.post("/api/v1/ack", "{\"transactionId\":\"dead-1\",\"partitionId\":\"" + pid
        + "\",\"status\":\"dlq\",\"error\":\"boom\"}").json().getAsJsonArray().get(0).getAsJsonObject();
    assertThat(ack.get("dlq").getAsBoolean()).isTrue();
    var page = h.get("/api/v1/dlq?queue=" + queue + "&limit=10").object();
    assertThat(page.get("total").getAsLong()).isEqualTo(1);
    var e = page.getAsJsonArray("messages").get(0).getAsJsonObject();
    assertThat(e.keySet()).contains("id", "transactionId", "partitionId", "queue", "partition",
        "consumerGroup", "errorMessage", "retryCount", "data", "producerSub", "createdAt", "failedAt");
    assertThat(e.get("errorMessage").getAsString()).isEqualTo("boom");
    assertThat(e.getAsJsonObject("data").get("d").getAsInt()).isEqualTo(1);
    var requeued = h.post("/api/v1/dlq/requeue", "{\"queue\":\"" + queue + "\",\"messageIds\":[\""
        + e.get("id").getAsString() + "\"]}");
    assertThat(requeued.toString()).isEqualTo("200 {\"requeued\":1}");
    assertThat(popOne("/api/v1/pop/queue/" + queue + "?autoAck=true").getAsJsonArray("messages")).hasSize(1);
    assertThat(h.get("/api/v1/dlq?queue=" + queue + "&from=notadate").status()).isEqualTo(400);
    assertThat(h.post("/api/v1/dlq/requeue", "{}").error()).isEqualTo("queue is required");
    assertThat(h.post("/api/v1/dlq/requeue", "{\"queue\":\"a\",\"messageIds\":[\"x\"]}").error())
        .isEqualTo("messageIds[0] must be a UUID string");
  }

  // ---- the rest ------------------------------------------------------------------------------

  @Test
  void health_and_metrics_answer_json() {
    var health = h.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.object().get("status").getAsString()).isEqualTo("healthy");
    assertThat(health.object().get("database").getAsString()).isEqualTo("connected");
    h.get("/api/v1/pop/queue/metrics-probe");
    var m = h.metrics();
    assertThat(m.getAsJsonObject("requests").getAsJsonObject("byOperation").keySet()).contains("pop");
    assertThat(m.getAsJsonObject("requests").getAsJsonObject("byOperation").getAsJsonObject("pop").keySet())
        .contains("requests", "messages", "avgLatencyMs", "maxLatencyMs");
    assertThat(m.getAsJsonArray("workers")).hasSize(2);
    assertThat(m.getAsJsonArray("workers").get(0).getAsJsonObject().keySet())
        .contains("parkedExchanges", "responseQueueDepth", "responseQueueCapacity");
    assertThat(m.getAsJsonObject("database").get("poolSize").getAsInt()).isEqualTo(4);
    assertThat(m.get("ownerThreadViolations").getAsLong()).isZero();
  }

  @Test
  void unknown_paths_and_methods_get_404_with_a_json_error() {
    var r = h.get("/api/v1/nothing");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.error()).isEqualTo("Not found: GET /api/v1/nothing");
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(h.request("PUT", "/api/v1/push", "{}").status()).isEqualTo(404);
    assertThat(h.get("/api/v1/push").status()).isEqualTo(404);
  }

  @Test
  void cors_preflight_is_answered_204_and_every_response_carries_cors_headers() {
    var r = h.request("OPTIONS", "/api/v1/push", null);
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).contains("GET, POST, PUT, DELETE, OPTIONS");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).contains("Content-Type, Authorization, traceparent, tracestate");
    assertThat(h.get("/health").headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    assertThat(h.post("/api/v1/push", "{").headers().firstValue("Access-Control-Allow-Origin")).contains("*");
  }
}
