package io.queen.server.hostile;

import java.util.ArrayList;
import java.util.List;

/**
 * Every route of the server as the hostile suite attacks it: its path parameters, its query
 * parameters and, for a route that reads a body, each body field with the body around it. A
 * field's {@code template} is a request body with {@code §} where the field's value goes; the
 * rest of the template is valid, so the field is what the server has to complain about. Samples
 * name queues, groups and messages that do not exist, so that a request wrongly accepted changes
 * nothing (and the suite's database check still catches one that does).
 * {@code HostileInputTest} checks that this list is exactly the server's.
 */
final class HostileRoutes {
  /** A partition id, lease id or message id that exists nowhere. */
  static final String NO_SUCH_ID = "0190a3c4-0000-7000-8000-000000000000";
  static final String NO_QUEUE = "hostile-nosuch";
  static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  /** What a value is; decides the hostile values a field or parameter gets. */
  enum Kind {
    /** A queue, partition, group or trace name: 1-255 characters, no control characters. */
    NAME,
    /** A transaction id: at most 255 characters, no NUL. */
    TXID,
    UUID,
    /** Free text (an ack's error, a trace's event type). */
    TEXT,
    TIMESTAMP,
    /** One of a fixed set of words. */
    ENUM,
    TRACEPARENT,
    TRACESTATE,
    INT,
    NUMBER,
    BOOL,
    OBJECT,
    ARRAY,
    /** A string or an array of strings. */
    STRINGS,
    /** Any JSON value (a payload, a trace's data). */
    JSON
  }

  /**
   * One body field.
   *
   * @param path the field as the client wrote it, which the error must name
   * @param kind its type
   * @param template the body with {@code §} at the field's value
   * @param min the smallest valid integer or number, or null when any is
   * @param max the largest, or null
   * @param mention what an out-of-range error names (the core says {@code option leaseTime})
   */
  record Field(String path, Kind kind, String template, Long min, Long max, String mention) {
    static Field of(String path, Kind kind, String template) {
      return new Field(path, kind, template, null, null, path);
    }

    Field range(long min, long max, String mention) {
      return new Field(path, kind, template, min, max, mention);
    }

    String body(String value) {
      return template.replace("§", value);
    }
  }

  /**
   * One query parameter.
   *
   * @param prefix other parameters the route needs before it reads this one ({@code wait=true&})
   */
  record Param(String name, Kind kind, long min, long max, String prefix) {
    static Param of(String name, Kind kind) {
      return new Param(name, kind, 0, 0, "");
    }

    static Param integer(String name, long min, long max) {
      return new Param(name, Kind.INT, min, max, "");
    }

    Param after(String prefix) {
      return new Param(name, kind, min, max, prefix);
    }
  }

  /**
   * One route.
   *
   * @param validBody a body the route accepts, sent with the path and query cases (null: none)
   * @param baseQuery parameters every request of the route needs ({@code namespace=} of the
   *     namespace pop); {@code altQuery} replaces it when the parameter under attack is in it
   * @param emptyBody what an empty body is answered with: the error's text, or null when an
   *     empty body is valid
   */
  record Route(String method, String pattern, String validBody, String baseQuery, String altQuery,
      List<Param> query, List<Field> fields, String emptyBody) {
    boolean readsBody() {
      return !fields.isEmpty();
    }

    List<String> pathParams() {
      var out = new ArrayList<String>();
      for (var s : pattern.split("/")) {
        if (s.startsWith(":")) {
          out.add(s.substring(1));
        }
      }
      return out;
    }

    /** The pattern with every parameter's sample, and {@code param} as {@code raw} (unescaped). */
    String path(String param, String raw) {
      var sb = new StringBuilder();
      for (var s : pattern.substring(1).split("/")) {
        sb.append('/');
        if (s.startsWith(":")) {
          sb.append(s.substring(1).equals(param) ? raw : sample(s.substring(1)));
        } else {
          sb.append(s);
        }
      }
      return sb.toString();
    }

    String query(String param, String rawValue) {
      var base = baseQuery.isEmpty() || baseQuery.startsWith(param + "=") ? altQuery : baseQuery;
      var q = new StringBuilder();
      if (!base.isEmpty()) {
        q.append(base).append('&');
      }
      return q.append(param).append('=').append(rawValue).toString();
    }

    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }

  /** The kind of a path parameter, by its name. */
  static Kind pathKind(String param) {
    return switch (param) {
      case "leaseId", "partitionId" -> Kind.UUID;
      case "transactionId" -> Kind.TXID;
      default -> Kind.NAME;
    };
  }

  static String sample(String param) {
    return switch (param) {
      case "queue" -> NO_QUEUE;
      case "partition" -> "hostile-p";
      case "group" -> "hostile-g";
      case "traceName" -> "hostile-n";
      case "transactionId" -> "hostile-t";
      default -> NO_SUCH_ID;
    };
  }

  private HostileRoutes() {}

  private static Route get(String pattern, Param... query) {
    return new Route("GET", pattern, null, "", "", List.of(query), List.of(), null);
  }

  private static Route delete(String pattern, Param... query) {
    return new Route("DELETE", pattern, null, "", "", List.of(query), List.of(), null);
  }

  private static Route post(String pattern, String validBody, String emptyBody, Field... fields) {
    return new Route("POST", pattern, validBody, "", "", List.of(), List.of(fields), emptyBody);
  }

  private static final String EMPTY = "Empty request body";

  /** Query parameters every pop reads. */
  private static List<Param> popParams() {
    return List.of(Param.integer("batch", 1, 10_000), Param.integer("partitions", 1, 1000),
        Param.integer("timeout", 0, 3_600_000).after("wait=true&"),
        Param.of("consumerGroup", Kind.NAME), Param.of("subscriptionMode", Kind.ENUM),
        Param.of("subscriptionFrom", Kind.TIMESTAMP));
  }

  private static Param[] range(Param... more) {
    var out = new ArrayList<Param>(List.of(Param.of("from", Kind.TIMESTAMP),
        Param.of("to", Kind.TIMESTAMP)));
    out.addAll(List.of(more));
    return out.toArray(Param[]::new);
  }

  private static Param[] page(long maxOffset, Param... more) {
    var out = new ArrayList<Param>(List.of(more));
    out.add(Param.integer("limit", 1, 10_000));
    out.add(Param.integer("offset", 0, maxOffset));
    return out.toArray(Param[]::new);
  }

  private static Param text(String name) {
    return Param.of(name, Kind.TEXT);
  }

  /** A field of the object that {@code wrap} holds at {@code @}. */
  private static Field in(String wrap, String path, Kind kind, String object) {
    return Field.of(path, kind, wrap.replace("@", object));
  }

  /** The push item fields at {@code prefix} ({@code items[0]}), inside {@code wrap}. */
  private static List<Field> itemFields(String prefix, String wrap) {
    var q = "{\"queue\":\"" + NO_QUEUE + "\",";
    var p = prefix + ".";
    return List.of(
        in(wrap, prefix, Kind.OBJECT, "§"),
        in(wrap, p + "queue", Kind.NAME, "{\"queue\":§}"),
        in(wrap, p + "partition", Kind.NAME, q + "\"partition\":§}"),
        in(wrap, p + "transactionId", Kind.TXID, q + "\"transactionId\":§}"),
        in(wrap, p + "traceId", Kind.UUID, q + "\"traceId\":§}"),
        in(wrap, p + "traceparent", Kind.TRACEPARENT, q + "\"traceparent\":§}"),
        in(wrap, p + "tracestate", Kind.TRACESTATE,
            q + "\"traceparent\":\"" + TRACEPARENT + "\",\"tracestate\":§}"),
        in(wrap, p + "payload", Kind.JSON, q + "\"payload\":§}"));
  }

  /**
   * The ack fields, bare or at {@code prefix} ({@code acknowledgments[0].}), inside {@code wrap},
   * each object starting with {@code extra}.
   */
  private static List<Field> ackFields(String prefix, String wrap, String extra) {
    var tx = "{" + extra + "\"transactionId\":\"hostile-t\",";
    var pid = "\"partitionId\":\"" + NO_SUCH_ID + "\"";
    var both = tx + pid + ",";
    return List.of(
        in(wrap, prefix + "transactionId", Kind.TXID, "{" + extra + pid + ",\"transactionId\":§}"),
        in(wrap, prefix + "partitionId", Kind.UUID, tx + "\"partitionId\":§}"),
        in(wrap, prefix + "status", Kind.ENUM, both + "\"status\":§}"),
        in(wrap, prefix + "consumerGroup", Kind.NAME, both + "\"consumerGroup\":§}"),
        in(wrap, prefix + "leaseId", Kind.UUID, both + "\"leaseId\":§}"),
        in(wrap, prefix + "error", Kind.TEXT, both + "\"error\":§}"));
  }

  private static List<Field> configureFields() {
    var out = new ArrayList<Field>();
    var q = "{\"queue\":\"" + NO_QUEUE + "\",";
    out.add(Field.of("queue", Kind.NAME, "{\"queue\":§}"));
    out.add(Field.of("namespace", Kind.NAME, q + "\"namespace\":§}"));
    out.add(Field.of("task", Kind.NAME, q + "\"task\":§}"));
    out.add(Field.of("options", Kind.OBJECT, q + "\"options\":§}"));
    for (var option : List.of("leaseTime", "retryLimit", "retryDelay", "retryDelayMax",
        "delayedProcessing", "windowBuffer", "maxSize", "ttl", "retentionSeconds",
        "completedRetentionSeconds", "maxWaitTimeSeconds")) {
      out.add(Field.of("options." + option, Kind.INT, q + "\"options\":{\"" + option + "\":§}}")
          .range(0, Integer.MAX_VALUE, option));
    }
    // a negative priority is a valid (lower) priority
    out.add(Field.of("options.priority", Kind.INT, q + "\"options\":{\"priority\":§}}"));
    out.add(Field.of("options.retryBackoff", Kind.NUMBER, q + "\"options\":{\"retryBackoff\":§}}")
        .range(1, 100, "retryBackoff"));
    for (var option : List.of("deadLetterQueue", "dlqAfterMaxRetries", "retentionEnabled",
        "encryptionEnabled")) {
      out.add(Field.of("options." + option, Kind.BOOL, q + "\"options\":{\"" + option + "\":§}}"));
    }
    return out;
  }

  private static List<Field> pushFields() {
    var out = new ArrayList<Field>();
    out.add(Field.of("items", Kind.ARRAY, "{\"items\":§}"));
    out.addAll(itemFields("items[0]", "{\"items\":[@]}"));
    // the second item is bad: nothing of the first may be stored
    out.addAll(itemFields("items[1]", "{\"items\":[{\"queue\":\"" + NO_QUEUE + "\"},@]}"));
    return out;
  }

  private static List<Field> transactionFields() {
    var push = "{\"type\":\"push\",\"items\":[{\"queue\":\"" + NO_QUEUE + "\"}]}";
    var out = new ArrayList<Field>();
    out.add(Field.of("operations", Kind.ARRAY, "{\"operations\":§}"));
    out.add(Field.of("operations[0]", Kind.OBJECT, "{\"operations\":[§]}"));
    out.add(Field.of("operations[0].type", Kind.ENUM,
        "{\"operations\":[{\"type\":§,\"items\":[{\"queue\":\"" + NO_QUEUE + "\"}]}]}"));
    out.add(Field.of("operations[0].items", Kind.ARRAY,
        "{\"operations\":[{\"type\":\"push\",\"items\":§}]}"));
    out.addAll(itemFields("operations[0].items[0]",
        "{\"operations\":[{\"type\":\"push\",\"items\":[@]}]}"));
    out.addAll(ackFields("operations[0].", "{\"operations\":[@]}", "\"type\":\"ack\","));
    // the second operation is bad: the first one's push may not be stored
    out.addAll(ackFields("operations[1].", "{\"operations\":[" + push + ",@]}",
        "\"type\":\"ack\","));
    out.add(Field.of("requiredLeases", Kind.STRINGS,
        "{\"operations\":[" + push + "],\"requiredLeases\":§}"));
    return out;
  }

  private static List<Field> ackBatchFields() {
    var out = new ArrayList<Field>();
    out.add(Field.of("acknowledgments", Kind.ARRAY, "{\"acknowledgments\":§}"));
    out.add(Field.of("acknowledgments[0]", Kind.OBJECT, "{\"acknowledgments\":[§]}"));
    out.addAll(ackFields("acknowledgments[0].", "{\"acknowledgments\":[@]}", ""));
    out.add(Field.of("consumerGroup", Kind.NAME, "{\"acknowledgments\":[{\"transactionId\":"
        + "\"hostile-t\",\"partitionId\":\"" + NO_SUCH_ID + "\"}],\"consumerGroup\":§}"));
    return out;
  }

  private static List<Field> traceFields() {
    var tx = "\"transactionId\":\"hostile-t\",";
    var pid = "\"partitionId\":\"" + NO_SUCH_ID + "\",";
    var base = "{" + tx + pid + "\"data\":1,";
    return List.of(
        Field.of("transactionId", Kind.TXID, "{" + pid + "\"data\":1,\"transactionId\":§}"),
        Field.of("partitionId", Kind.UUID, "{" + tx + "\"data\":1,\"partitionId\":§}"),
        Field.of("consumerGroup", Kind.NAME, base + "\"consumerGroup\":§}"),
        Field.of("eventType", Kind.TEXT, base + "\"eventType\":§}"),
        Field.of("traceNames", Kind.STRINGS, base + "\"traceNames\":§}"),
        Field.of("data", Kind.JSON, "{" + tx + pid + "\"data\":§}"));
  }

  private static List<Field> requeueFields() {
    var q = "{\"queue\":\"" + NO_QUEUE + "\",";
    return List.of(
        Field.of("queue", Kind.NAME, "{\"queue\":§}"),
        Field.of("consumerGroup", Kind.NAME, q + "\"consumerGroup\":§}"),
        Field.of("messageIds", Kind.ARRAY, q + "\"messageIds\":§}"),
        Field.of("messageIds[0]", Kind.UUID, q + "\"messageIds\":[§]}"));
  }

  /** Every route the server serves, in the server's order. */
  static List<Route> all() {
    var groups = "/api/v1/consumer-groups";
    var dq = "\"" + NO_QUEUE + "\"";
    var routes = new ArrayList<Route>();
    routes.add(post("/api/v1/configure", "{\"queue\":" + dq + "}", EMPTY,
        configureFields().toArray(Field[]::new)));
    routes.add(delete("/api/v1/resources/queues/:queue"));
    routes.add(post("/api/v1/push", "{\"items\":[]}", EMPTY, pushFields().toArray(Field[]::new)));
    routes.add(get("/api/v1/pop/queue/:queue", popParams().toArray(Param[]::new)));
    routes.add(get("/api/v1/pop/queue/:queue/partition/:partition",
        popParams().toArray(Param[]::new)));
    var nsPop = new ArrayList<>(popParams());
    nsPop.add(text("namespace"));
    nsPop.add(text("task"));
    routes.add(new Route("GET", "/api/v1/pop", null, "namespace=hostile-ns", "task=hostile-tk",
        nsPop, List.of(), null));
    routes.add(post("/api/v1/ack", null, EMPTY,
        ackFields("", "@", "").toArray(Field[]::new)));
    routes.add(post("/api/v1/ack/batch", null, EMPTY, ackBatchFields().toArray(Field[]::new)));
    routes.add(post("/api/v1/transaction", null, EMPTY, transactionFields().toArray(Field[]::new)));
    routes.add(post("/api/v1/lease/:leaseId/extend", "{}", null,
        Field.of("seconds", Kind.INT, "{\"seconds\":§}").range(1, 86_400, "seconds")));
    routes.add(post("/api/v1/traces", null, EMPTY, traceFields().toArray(Field[]::new)));
    routes.add(get("/api/v1/traces/names", page(Integer.MAX_VALUE)));
    routes.add(get("/api/v1/traces/by-name/:traceName", page(Integer.MAX_VALUE)));
    routes.add(get("/api/v1/traces/:partitionId/:transactionId"));
    routes.add(get("/api/v1/dlq", page(Integer.MAX_VALUE, range(text("queue"), text("partition"),
        text("consumerGroup")))));
    routes.add(post("/api/v1/dlq/requeue", null, EMPTY, requeueFields().toArray(Field[]::new)));
    routes.add(get(groups));
    routes.add(get(groups + "/lagging", Param.integer("minLagSeconds", 0, Integer.MAX_VALUE)));
    routes.add(get(groups + "/:group"));
    routes.add(delete(groups + "/:group", Param.of("deleteMetadata", Kind.ENUM)));
    routes.add(delete(groups + "/:group/queues/:queue", Param.of("deleteMetadata", Kind.ENUM)));
    routes.add(post(groups + "/:group/subscription",
        "{\"subscriptionTimestamp\":\"2026-01-01T00:00:00Z\"}",
        "Missing subscriptionTimestamp in request body",
        Field.of("subscriptionTimestamp", Kind.TIMESTAMP, "{\"subscriptionTimestamp\":§}")));
    routes.add(post(groups + "/:group/queues/:queue/seek", "{\"toEnd\":true}",
        "Must specify either 'toEnd': true or 'timestamp'",
        Field.of("toEnd", Kind.BOOL, "{\"toEnd\":§}"),
        Field.of("timestamp", Kind.TIMESTAMP, "{\"timestamp\":§}")));
    routes.add(new Route("POST", groups + "/:group/queues/:queue/partitions/:partition/seek", null,
        "", "", List.of(), List.of(), null));
    routes.add(get("/api/v1/resources/overview"));
    routes.add(get("/api/v1/resources/queues", text("namespace"), text("task")));
    routes.add(get("/api/v1/resources/queues/:queue"));
    routes.add(get("/api/v1/resources/namespaces"));
    routes.add(get("/api/v1/resources/tasks"));
    routes.add(new Route("POST", "/api/v1/stats/refresh", null, "", "", List.of(), List.of(),
        null));
    routes.add(get("/api/v1/messages", page(1_000_000, range(text("queue"),
        text("partition").after("queue=" + NO_QUEUE + "&"), text("ns"), text("task"),
        Param.of("status", Kind.ENUM)))));
    routes.add(get("/api/v1/messages/:partitionId/:transactionId"));
    routes.add(delete("/api/v1/messages/:partitionId/:transactionId"));
    routes.add(get("/api/v1/status/queues/:queue/messages", page(1_000_000)));
    routes.add(delete("/api/v1/queues/:queue/clear", text("partition")));
    routes.add(get("/api/v1/status", range(text("queue"), text("namespace"), text("task"))));
    routes.add(get("/api/v1/status/queues", page(Integer.MAX_VALUE, text("namespace"),
        text("task"))));
    routes.add(get("/api/v1/status/queues/:queue", text("partitionSearch"),
        Param.of("partitionSort", Kind.ENUM), Param.of("partitionOrder", Kind.ENUM),
        Param.integer("partitionLimit", 1, 10_000),
        Param.integer("partitionOffset", 0, Integer.MAX_VALUE)));
    routes.add(get("/api/v1/status/analytics", range(Param.of("interval", Kind.ENUM),
        text("queue"))));
    var analytics = "/api/v1/analytics";
    routes.add(get(analytics + "/system-metrics", range(text("hostname"), text("workerId"))));
    routes.add(get(analytics + "/worker-metrics", range(text("hostname"), text("workerId"))));
    for (var path : List.of("/queue-ops", "/queue-lag", "/queue-parked-replicas", "/retention")) {
      routes.add(get(analytics + path, range(text("queue"))));
    }
    routes.add(get(analytics + "/postgres-stats"));
    routes.add(get("/health"));
    routes.add(get("/health/ready"));
    routes.add(get("/health/live"));
    routes.add(get("/api/v1/system/maintenance"));
    routes.add(post("/api/v1/system/maintenance", null, "enabled (boolean) is required",
        Field.of("enabled", Kind.BOOL, "{\"enabled\":§}")));
    routes.add(get("/api/v1/system/maintenance/pop"));
    routes.add(post("/api/v1/system/maintenance/pop", null, "enabled (boolean) is required",
        Field.of("enabled", Kind.BOOL, "{\"enabled\":§}")));
    routes.add(get("/api/v1/status/buffers"));
    routes.add(get("/api/v1/session"));
    routes.add(get("/api/v1/system/config"));
    routes.add(get("/metrics"));
    routes.add(get("/metrics/prometheus"));
    return routes;
  }
}
