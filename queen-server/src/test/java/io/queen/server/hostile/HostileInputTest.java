package io.queen.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.queen.server.hostile.HostileRoutes.Field;
import io.queen.server.hostile.HostileRoutes.Route;
import io.queen.server.testing.ServerHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile input against a real server over loopback, for every route ({@link HostileRoutes}):
 * malformed, truncated and non-UTF-8 bodies, every field given every wrong type, numbers that
 * overflow or make no sense, nesting 100 000 deep, 100 KB names, NUL, control characters and
 * unpaired surrogates, percent-encoding tricks in path and query parameters, repeated and empty
 * query parameters, wrong content types, requests that are not HTTP, slow, stalled and abandoned
 * uploads, and hundreds of connections opened and dropped.
 *
 * <p>Each refusal must be a 4xx whose JSON {@code error} names the field or parameter (or, for
 * what Undertow's parser refuses before any route, a bare 400 and a closed connection). Around
 * the attack: the database (every table that holds user data) is the same before and after the
 * refusals, five messages pushed first pop afterwards intact and in order, and the server still
 * answers {@code /health} and a burst of 200 pushes. Tests run in order and share one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
  /** The bound on reading a request: short, so that stalled uploads are answered quickly. */
  private static final int READ_TIMEOUT_MS = 1000;
  private static final String KNOWN = "hostile-known";
  private static final int KNOWN_COUNT = 5;
  private static final String BIG = "x".repeat(100_000);

  private ServerHarness h;
  private RawHttp raw;
  private int cases;

  @BeforeAll
  void start() {
    h = ServerHarness.start(env -> {
      env.put("REQUEST_TIMEOUT_MS", Integer.toString(READ_TIMEOUT_MS));
      // 100 KB names in paths and queries must reach the routes to be refused by name there; at
      // the default limit (64 KiB) Undertow refuses such a head itself (TransportTest)
      env.put("MAX_HEADER_SIZE", Integer.toString(1 << 20));
      return env;
    });
    raw = new RawHttp(h.server.port());
    var items = IntStream.rangeClosed(1, KNOWN_COUNT).mapToObj(i -> "{\"queue\":\"" + KNOWN
        + "\",\"partition\":\"p\",\"transactionId\":\"known-" + i + "\",\"payload\":{\"n\":" + i
        + ",\"s\":\"caf\u00e9 \\ud83d\\ude00\"}}").collect(Collectors.joining(","));
    var r = h.post("/api/v1/push", "{\"items\":[" + items + "]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    r = h.post("/api/v1/configure", "{\"queue\":\"hostile-configured\",\"namespace\":\"hns\","
        + "\"options\":{\"leaseTime\":77,\"retryLimit\":2}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
      assertThat(h.server.ownerThreadViolations()).isZero();
    }
  }

  // ---- the route list ----------------------------------------------------------------------

  @Test
  @Order(0)
  void the_suite_attacks_every_route_the_server_serves() {
    // the server's own list: a route added to the server without a hostile entry fails here
    var served = new TreeSet<String>();
    for (var r : h.server.routes()) {
      served.add(r.method() + " " + r.pattern() + (r.readsBody() ? " (body)" : ""));
    }
    var attacked = new TreeSet<String>();
    for (var r : HostileRoutes.all()) {
      attacked.add(r.method() + " " + r.pattern() + (r.readsBody() ? " (body)" : ""));
    }
    assertThat(attacked).isEqualTo(served);
  }

  // ---- refusals ----------------------------------------------------------------------------

  /**
   * A request and what must come back: {@code status} with a JSON error mentioning each of
   * {@code mentions} (case-insensitive), or, when {@code bare}, Undertow's 400 without a body.
   */
  private record Case(String name, byte[] request, int status, List<String> mentions,
      boolean bare) {
    static Case json(String name, byte[] request, String... mentions) {
      return new Case(name, request, 400, List.of(mentions), false);
    }

    static Case notHttp(String name, String request) {
      return new Case(name, request.getBytes(StandardCharsets.ISO_8859_1), 400, List.of(), true);
    }
  }

  @TestFactory
  @Order(1)
  Stream<DynamicNode> every_route_refuses_hostile_input_and_names_the_problem() {
    var before = databaseState();
    var nodes = new ArrayList<DynamicNode>();
    for (var route : HostileRoutes.all()) {
      var list = new ArrayList<Case>();
      list.addAll(pathCases(route));
      list.addAll(queryCases(route));
      list.addAll(bodyCases(route));
      if (!list.isEmpty()) {
        cases += list.size();
        nodes.add(dynamicContainer(route + " (" + list.size() + " cases)",
            list.stream().map(c -> dynamicTest(c.name(), () -> check(c)))));
      }
    }
    var other = notHttpCases();
    cases += other.size();
    nodes.add(dynamicContainer("not HTTP (" + other.size() + " cases)",
        other.stream().map(c -> dynamicTest(c.name(), () -> check(c)))));
    var harmless = harmlessPathCases();
    cases += harmless.size();
    nodes.add(dynamicContainer("odd but valid path parameters (" + harmless.size() + " cases)",
        harmless.stream().map(c -> dynamicTest(c.name(), () -> checkHarmless(c)))));
    var ignored = ignoredInputCases();
    cases += ignored.size();
    nodes.add(dynamicContainer("routes that take no input, given some (" + ignored.size()
        + " cases)", ignored.stream().map(c -> dynamicTest(c.name(), () -> {
          var r = raw.exchange(c.request());
          assertThat(r.status()).as("%s -> %s", c.name(), r).isEqualTo(200);
          assertThat(r.body()).as(c.name()).isNotEmpty();
        }))));
    nodes.add(dynamicTest("nothing was stored or changed by any of them", () -> {
      assertThat(cases).isGreaterThan(1000);
      assertThat(databaseState()).isEqualTo(before);
      assertThat(h.get("/health").status()).isEqualTo(200);
    }));
    return nodes.stream();
  }

  private void check(Case c) {
    var r = raw.exchange(c.request());
    if (c.bare()) {
      assertThat(r.status()).as("%s -> %s", c.name(), r).isEqualTo(400);
      assertThat(r.body()).as("%s: Undertow's own 400 has no body", c.name()).isEmpty();
      assertThat(r.header("connection")).as(c.name()).isEqualToIgnoringCase("close");
      return;
    }
    assertThat(r.status()).as("%s -> %s", c.name(), r).isEqualTo(c.status());
    var error = error(c.name(), r);
    for (var m : c.mentions()) {
      assertThat(error).as("%s: the error names the problem", c.name()).containsIgnoringCase(m);
    }
  }

  /** The JSON error of a response; it must be JSON and leak no stack trace. */
  private static String error(String name, RawHttp.Response r) {
    assertThat(r.header("content-type")).as("%s -> %s", name, r).startsWith("application/json");
    JsonObject body = JsonParser.parseString(r.text()).getAsJsonObject();
    assertThat(body.has("error")).as("%s -> %s", name, r).isTrue();
    var error = body.get("error").getAsString();
    assertThat(error).as("%s: no internals leak", name)
        .doesNotContain("Exception", "\tat ", "io.queen.", "Database error");
    assertThat(error.length()).as("%s: the message is bounded", name).isLessThan(1000);
    return error;
  }

  // ---- path parameters ---------------------------------------------------------------------

  private List<Case> pathCases(Route route) {
    var out = new ArrayList<Case>();
    for (var param : route.pathParams()) {
      var bad = new LinkedHashMap<String, String>();
      // not UTF-8: overlong '/', a lone 0xFF, a cut sequence, a UTF-8-encoded surrogate (CESU)
      for (var v : List.of("%C0%AF", "%FF", "%E2%82", "%ED%A0%80", "%80", "a%C0%AE%C0%AE%C0%AF")) {
        bad.put(v, "not valid percent-encoded UTF-8");
      }
      switch (HostileRoutes.pathKind(param)) {
        case NAME -> {
          bad.put("%00", "control characters");
          bad.put("a%01b", "control characters");
          bad.put("a%0Ab", "control characters");
          bad.put("%7F", "control characters");
          bad.put(BIG, "at most 255");
        }
        case UUID -> {
          bad.put("%00", "UUID");
          bad.put("not-a-uuid", "UUID");
          bad.put(BIG, "UUID");
          bad.put(HostileRoutes.NO_SUCH_ID + "0", "UUID");
        }
        default -> {
          bad.put("%00", "NUL");
          bad.put(BIG, "at most 255");
        }
      }
      bad.forEach((value, problem) -> out.add(Case.json(
          "path :" + param + " = " + shortly(value),
          request(route, route.path(param, value), route.validBody()), param, problem)));
    }
    return out;
  }

  /** Names that are odd but valid: they must reach nothing else and store nothing. */
  private List<Case> harmlessPathCases() {
    var out = new ArrayList<Case>();
    for (var route : HostileRoutes.all()) {
      for (var param : route.pathParams()) {
        for (var v : List.of("..%2F..%2Fhealth", "%2E%2E", "%252F", "%25", "a%2Fb%2F..%2F..",
            "%2Fapi%2Fv1%2Fpush", "*", "_", "%27%3B--", "a+b%20c", "%E2%80%AE")) {
          out.add(new Case("path :" + param + " = " + v + " on " + route,
              request(route, route.path(param, v), route.validBody()), 0, List.of(), false));
        }
      }
    }
    return out;
  }

  /**
   * The routes without parameters or a body ignore what they are sent: unknown and malformed
   * query parameters, and a body that is not JSON.
   */
  private List<Case> ignoredInputCases() {
    var out = new ArrayList<Case>();
    for (var route : HostileRoutes.all()) {
      if (route.pathParams().isEmpty() && route.query().isEmpty() && !route.readsBody()) {
        out.add(new Case(route + " with junk query parameters", RawHttp.request(route.method(),
            route.pattern() + "?hostile=%FF&hostile=%00&batch=abc&limit=-1&%C0%AF=1&=&&", null,
            null), 200, List.of(), false));
        out.add(new Case(route + " with a junk body", RawHttp.request(route.method(),
            route.pattern(), "application/json", concat("{{{", bytes(0xFF, 0x00), "[[[")), 200,
            List.of(), false));
      }
    }
    return out;
  }

  private void checkHarmless(Case c) {
    var r = raw.exchange(c.request());
    assertThat(r.status()).as("%s -> %s", c.name(), r).isBetween(200, 499);
    assertThat(r.text()).as("%s reached /health", c.name()).doesNotContain("\"healthy\"");
    if (r.status() >= 400) {
      error(c.name(), r);
    }
  }

  // ---- query parameters --------------------------------------------------------------------

  private List<Case> queryCases(Route route) {
    var out = new ArrayList<Case>();
    for (var p : route.query()) {
      var bad = new LinkedHashMap<String, String>();
      bad.put("%00", "NUL");
      bad.put("a%00b", "NUL");
      bad.put("%FF", "not valid percent-encoded UTF-8");
      bad.put("%C0%AF", "not valid percent-encoded UTF-8");
      bad.put("%ED%A0%80", "not valid percent-encoded UTF-8");
      switch (p.kind()) {
        case INT -> {
          for (var v : List.of("abc", "1e400", "9223372036854775808", "-9223372036854775809",
              "2147483648", "1.5", "0x10", "1%2C2")) {
            bad.put(v, "must be an integer");
          }
          bad.put(Long.toString(p.min() - 1), "between");
          if (p.max() < Integer.MAX_VALUE) {
            bad.put(Long.toString(p.max() + 1), "between");
          }
          bad.put(p.min() + "&" + p.name() + "=" + (p.min() + 1), "more than once");
        }
        case TIMESTAMP -> {
          bad.put("garbage", "ISO-8601");
          bad.put("2026-02-30T00:00:00Z", "ISO-8601");
          bad.put("2026-01-01", "ISO-8601");
          bad.put("-999999999-01-01T00:00:00Z", "between 0001");
          bad.put("%2B999999999-12-31T23:59:59Z", "between 0001");
          bad.put("%2B10000-01-01T00:00:00Z", "between 0001");
          bad.put(BIG, "ISO-8601");
        }
        case ENUM -> {
          bad.put("garbage", p.name());
          bad.put("TRUE%20", p.name());
        }
        default -> bad.put("a&" + p.name() + "=b", "more than once");
      }
      bad.forEach((value, problem) -> out.add(Case.json(
          "query " + p.name() + "=" + shortly(value),
          request(route, route.path("", "") + "?" + p.prefix() + route.query(p.name(), value),
              route.validBody()), p.name(), problem)));
    }
    return out;
  }

  // ---- bodies ------------------------------------------------------------------------------

  private List<Case> bodyCases(Route route) {
    if (!route.readsBody()) {
      return List.of();
    }
    var out = new ArrayList<Case>();
    var target = route.path("", "");
    var first = route.fields().get(0);
    var sample = first.body(validValue(first));
    for (var m : List.of("{", "{\"a\":}", "{'a':1}", "{a:1}", "{\"a\":1,}", "{\"a\":1}}",
        "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":tru}", "{\"a\":NaN}", "{\"a\":Infinity}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "/*c*/{}", "{\"a\":01}", "{\"a\":\"abc",
        "{\"a\":\"tab\there\"}", "{\"a\" 1}", "{\"a\":[1,]}", "{,}", "{\"a\":-}", "\u0000{}",
        "{}\u0000")) {
      out.add(Case.json("malformed " + shortly(m), request(route, target, m), "Invalid JSON"));
    }
    for (int cut : new int[] {1, sample.length() / 3, sample.length() / 2, sample.length() - 1}) {
      out.add(Case.json("truncated at " + cut + " of " + sample.length(),
          request(route, target, sample.substring(0, cut)), "Invalid JSON"));
    }
    for (var v : List.of("[]", "\"x\"", "5", "null", "true", "[".repeat(100_000))) {
      out.add(Case.json("not an object: " + shortly(v), request(route, target, v),
          "must be a JSON object"));
    }
    if (route.emptyBody() != null) {
      out.add(Case.json("empty", request(route, target, ""), route.emptyBody()));
      out.add(Case.json("blank", request(route, target, " \r\n\t "), route.emptyBody()));
    }
    var notUtf8 = new LinkedHashMap<String, byte[]>();
    notUtf8.put("0xFF", bytes(0xFF));
    notUtf8.put("overlong C0 AF", bytes(0xC0, 0xAF));
    notUtf8.put("CESU surrogate ED A0 80", bytes(0xED, 0xA0, 0x80));
    notUtf8.put("cut E2 82", bytes(0xE2, 0x82));
    notUtf8.put("lone continuation 80", bytes(0x80));
    notUtf8.put("5-byte F8", bytes(0xF8, 0x88, 0x80, 0x80, 0x80));
    notUtf8.put("Latin-1 e9", bytes(0xE9));
    notUtf8.forEach((what, b) -> {
      out.add(Case.json("not UTF-8 (" + what + ") in an unknown member",
          request(route, target, concat("{\"hostile\":\"a", b, "b\"}")), "not valid UTF-8"));
      var f = route.fields().get(0);
      if (f.template().contains("§")) {
        var parts = f.template().split("§", 2);
        out.add(Case.json("not UTF-8 (" + what + ") in " + f.path(), request(route, target,
            concat(parts[0] + "\"a", b, "\"" + parts[1])), "not valid UTF-8"));
      }
    });
    out.add(Case.json("UTF-16 with a byte-order mark", request(route, target,
        concat("", bytes(0xFE, 0xFF), new String("{}".getBytes(StandardCharsets.UTF_16BE),
            StandardCharsets.ISO_8859_1))), "not valid UTF-8"));
    out.add(Case.json("100 000 nested arrays in an unknown member", request(route, target,
        "{\"hostile\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"), "nesting"));
    out.add(Case.json("100 000 nested objects in an unknown member", request(route, target,
        "{\"hostile\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_001)), "nesting"));
    out.add(Case.json("malformed, sent as text/plain", RawHttp.request(route.method(), target,
        "text/plain", "{\"a\":".getBytes(StandardCharsets.UTF_8)), "Invalid JSON"));
    for (var f : route.fields()) {
      wrongValues(f).forEach((value, mention) -> out.add(Case.json(
          f.path() + " = " + shortly(value), request(route, target, f.body(value)), mention)));
    }
    return out;
  }

  /** A value of the field's type (JSON text): a body to cut short. */
  private static String validValue(Field f) {
    return switch (f.kind()) {
      case UUID -> quoted(HostileRoutes.NO_SUCH_ID);
      case TIMESTAMP -> "\"2026-01-01T00:00:00Z\"";
      case TRACEPARENT -> quoted(HostileRoutes.TRACEPARENT);
      case INT -> "60";
      case NUMBER -> "2.5";
      case BOOL -> "true";
      case OBJECT -> "{\"queue\":\"" + HostileRoutes.NO_QUEUE + "\"}";
      case ARRAY -> "[]";
      case STRINGS -> "[\"a\",\"b\"]";
      case JSON -> "{\"a\":[1,2.5,\"x\"]}";
      default -> quoted(HostileRoutes.NO_QUEUE);
    };
  }

  /** Hostile values of a field (JSON text) and what the error must mention for each. */
  private static Map<String, String> wrongValues(Field f) {
    var path = f.path();
    var out = new LinkedHashMap<String, String>();
    switch (f.kind()) {
      case NAME, TXID, UUID, TEXT, TIMESTAMP, ENUM, TRACEPARENT, TRACESTATE -> {
        for (var v : List.of("5", "true", "{}", "[]", "1e400", "[\"x\"]", "-0.0")) {
          out.put(v, path + " must be a string");
        }
        out.put("\"a\\u0000b\"", path + " must not contain the NUL character");
        out.put("\"\\ud800\"", path + " holds an unpaired surrogate");
        out.put("\"x\\udc00\\ud800\"", path + " holds an unpaired surrogate");
      }
      default -> { }
    }
    switch (f.kind()) {
      case NAME -> {
        out.put("\"a\\u0001b\"", path + " must not contain control characters");
        out.put("\"\\u007f\"", path + " must not contain control characters");
        out.put("\"\\u009b\"", path + " must not contain control characters");
        out.put(quoted(BIG), path + " must be at most 255 characters");
      }
      case TXID -> out.put(quoted(BIG), path + " must be at most 255 characters");
      case UUID -> {
        out.put("\"x\"", path);
        out.put("\"" + HostileRoutes.NO_SUCH_ID.replace('0', 'g') + "\"", path);
        out.put(quoted(BIG), path);
      }
      case TIMESTAMP -> {
        out.put("\"garbage\"", path + " must be an ISO-8601 timestamp");
        out.put("\"2026-02-30T00:00:00Z\"", path + " must be an ISO-8601 timestamp");
        out.put("\"-999999999-01-01T00:00:00Z\"", path + " must be between 0001");
        out.put("\"+999999999-12-31T23:59:59Z\"", path + " must be between 0001");
        out.put("\"+10000-01-01T00:00:00Z\"", path + " must be between 0001");
        out.put(quoted(BIG), path + " must be an ISO-8601 timestamp");
      }
      case ENUM -> {
        out.put("\"garbage\"", path);
        out.put(quoted(BIG), path);
      }
      case TRACEPARENT -> {
        out.put("\"00-xyz\"", path + " '00-xyz' is not a W3C traceparent");
        out.put("\"00-00000000000000000000000000000000-b7ad6b7169203331-01\"",
            path + " has the invalid all-zero trace id");
        out.put(quoted(BIG), path);
      }
      case TRACESTATE -> {
        out.put(quoted("k=" + "v".repeat(600)), path + " is 602 characters, more than the 512");
        out.put(quoted(BIG), path);
      }
      case INT -> {
        for (var v : List.of("\"30\"", "true", "{}", "[]", "[1]")) {
          out.put(v, path + " must be an integer");
        }
        for (var v : List.of("1.5", "1e400", "-1e400", "9223372036854775808",
            "-9223372036854775809", "2147483648", "-2147483649", "1e2", "0.0")) {
          out.put(v, path + " must be an integer, was " + v);
        }
        if (f.min() != null) {
          out.put(Long.toString(f.min() - 1), f.mention());
          out.put("-1", f.mention());
          if (f.max() < Integer.MAX_VALUE) {
            out.put(Long.toString(f.max() + 1), f.mention());
          }
        }
      }
      case NUMBER -> {
        for (var v : List.of("\"2\"", "true", "{}", "[]")) {
          out.put(v, path + " must be a number");
        }
        out.put("1e400", path + " must be a finite number");
        out.put("-1e400", path + " must be a finite number");
        for (var v : List.of("0.5", "101", "-1", "0")) {
          out.put(v, f.mention() + " must be between 1 and 100");
        }
      }
      case BOOL -> {
        for (var v : List.of("1", "0", "\"true\"", "\"false\"", "{}", "[]", "\"\"")) {
          out.put(v, path + " must be a boolean");
        }
      }
      case OBJECT -> {
        for (var v : List.of("\"x\"", "5", "[]", "true", "[{}]")) {
          out.put(v, path + " must be an object");
        }
      }
      case ARRAY -> {
        for (var v : List.of("\"x\"", "5", "{}", "true")) {
          out.put(v, path + " must be an array");
        }
        if (path.equals("operations")) {
          out.put("[]", "operations array cannot be empty");
        } else if (path.endsWith(".items")) {
          out.put("[]", path + " must be a non-empty array");
        }
      }
      case STRINGS -> {
        for (var v : List.of("5", "true", "{}")) {
          out.put(v, path + " must be an array");
        }
        for (var v : List.of("[5]", "[null]", "[[\"x\"]]", "[{}]")) {
          out.put(v, path + "[0] must be a string");
        }
        out.put("[\"a\\u0000\"]", path + "[0] must not contain the NUL character");
        out.put("\"\\ud800\"", path + " holds an unpaired surrogate");
        out.put("[\"" + HostileRoutes.NO_SUCH_ID + "\",\"\\udfff\"]",
            path + "[1] holds an unpaired surrogate");
        out.put(path.equals("requiredLeases") ? "[\"x\"]" : quoted(BIG), path + "[0]");
      }
      case JSON -> {
        var name = path.substring(path.lastIndexOf('.') + 1);
        out.put("[".repeat(100_000) + "]".repeat(100_000), name);
        out.put("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000), name);
        out.put("[".repeat(600) + "]".repeat(600), name);
        out.put("\"a\\u0000b\"", name);
        out.put("{\"\\u0000\":1}", name);
        out.put("\"\\ud800\"", name);
        out.put("{\"k\":[1,\"\\udc00\"]}", name);
        out.put("{\"\\ud800\":1}", name);
        out.put("[1,2", "Invalid JSON");
        out.put("{\"a\":1,}", "Invalid JSON");
      }
    }
    return out;
  }

  // ---- what Undertow refuses before any route ----------------------------------------------

  private List<Case> notHttpCases() {
    var end = " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    var push = "POST /api/v1/push" + end;
    var body = "{\"items\":[]}";
    var out = new ArrayList<Case>();
    for (var target : List.of("/api/v1/pop/queue/a\u0000b", "/api/v1/pop/queue/a\u0001b",
        "/api/v1/pop/queue/a\u00ffb", "/api/v1/pop/queue/a\u007fb", "/api/v1/pop/queue/%ZZ",
        "/api/v1/pop/queue/%", "/api/v1/pop/queue/a%Z", "/api/v1/pop/queue/a?batch=%ZZ",
        "/api/v1/pop/queue/a?batch=%", "/api/v1/pop/queue/a#frag", "*",
        "/api/v1/pop/queue/a?" + "x=1&".repeat(1100) + "batch=1")) {
      out.add(Case.notHttp("target " + shortly(target), "GET " + target + end + "\r\n"));
    }
    for (var header : List.of("Content-Length: abc", "Content-Length: -5",
        "Content-Length: 99999999999999999999", "Content-Length: 12\r\nContent-Length: 13",
        "Content-Length: 12\r\nTransfer-Encoding: chunked", "Content-Length: 1 2",
        "Bad Header: x\r\nContent-Length: 12", "X-Nul: a\u0000b\r\nContent-Length: 12",
        "X-Big: " + "x".repeat(2_000_000) + "\r\nContent-Length: 12")) {
      out.add(Case.notHttp("header " + shortly(header), push + header + "\r\n\r\n" + body));
    }
    out.add(Case.notHttp("no request line", "\r\nHost: x\r\n\r\n"));
    out.add(Case.notHttp("garbage request line", "GARBAGE\r\n\r\n"));
    out.add(Case.notHttp("space in the target", "GET /api/v1/pop/queue/a b" + end + "\r\n"));
    return out;
  }

  // ---- valid, however hostile it looks -----------------------------------------------------

  @Test
  @Order(2)
  void hostile_looking_but_valid_requests_get_their_documented_answers() throws SQLException {
    // Content-Type is not checked: any of these pushes is stored once
    var types = new ArrayList<String>(List.of("text/plain", "application/xml",
        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
        "application/json; charset=utf-16", "image/png"));
    types.add(null);
    for (int i = 0; i < types.size(); i++) {
      var r = raw.exchange(RawHttp.request("POST", "/api/v1/push", types.get(i),
          ("{\"items\":[{\"queue\":\"hostile-ctype\",\"transactionId\":\"ct-" + i + "\"}]}")
              .getBytes(StandardCharsets.UTF_8)));
      assertThat(r.status()).as("%s -> %s", types.get(i), r).isEqualTo(201);
    }
    assertThat(count("hostile-ctype")).isEqualTo(types.size());

    // an empty query value is absent; the value given counts
    var items = IntStream.rangeClosed(1, 6).mapToObj(i -> "{\"queue\":\"hostile-batch\"}")
        .collect(Collectors.joining(","));
    assertThat(h.post("/api/v1/push", "{\"items\":[" + items + "]}").status()).isEqualTo(201);
    assertThat(popped(h.get("/api/v1/pop/queue/hostile-batch?batch=&batch=5&autoAck=true")))
        .hasSize(5);
    assertThat(popped(h.get("/api/v1/pop/queue/hostile-batch?batch=&autoAck=true"))).hasSize(1);
    assertThat(h.get("/api/v1/pop/queue/hostile-batch?batch=3&batch=3").status()).isEqualTo(204);

    // a surrogate pair (escaped or as UTF-8), a BOM, 1e400 and a name decoded once round-trip
    var r = raw.exchange(RawHttp.request("POST", "/api/v1/push", "application/json", concat("",
        bytes(0xEF, 0xBB, 0xBF), new String(("{\"items\":[{\"queue\":\"hostile%2F\",\"payload\":"
            + "{\"e\":\"\\ud83d\\ude00\",\"u\":\"\ud83d\ude00\",\"big\":1e400}}]}")
            .getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    var m = popped(h.get("/api/v1/pop/queue/hostile%252F?autoAck=true")).get(0).getAsJsonObject();
    assertThat(m.get("queue").getAsString()).isEqualTo("hostile%2F");
    var data = m.getAsJsonObject("data");
    assertThat(data.get("e").getAsString()).isEqualTo("\ud83d\ude00");
    assertThat(data.get("u").getAsString()).isEqualTo("\ud83d\ude00");
    assertThat(data.get("big").getAsBigDecimal()).isEqualByComparingTo("1e400");

    // chunked, Expect: 100-continue, HTTP/1.0
    r = raw.exchange(("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"ite\r\n20\r\n"
        + "ms\":[{\"queue\":\"hostile-ctype\"}]}"
        + "\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    r = raw.exchange(("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "Expect: 100-continue\r\nContent-Length: 12\r\n\r\n{\"items\":[]}")
        .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    r = raw.exchange("GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(r.status()).isEqualTo(200);

    // zero where it is allowed: an immediate long poll, a lease extension with no body
    assertThat(h.get("/api/v1/pop/queue/hostile-empty?wait=true&timeout=0").status())
        .isEqualTo(204);
    r = raw.send("POST", "/api/v1/lease/" + HostileRoutes.NO_SUCH_ID + "/extend", new byte[0]);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.text()).contains("\"success\":false", "Lease not found");
  }

  private static List<JsonElement> popped(ServerHarness.Reply r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    var out = new ArrayList<JsonElement>();
    r.object().getAsJsonArray("messages").forEach(out::add);
    return out;
  }

  // ---- uploads that stall, break off or are abandoned ---------------------------------------

  @Test
  @Order(3)
  void a_body_that_stops_arriving_is_answered_408_within_the_bound_and_its_connection_closed()
      throws IOException {
    var before = databaseState();
    try (var socket = raw.open()) {
      long start = System.nanoTime();
      socket.getOutputStream().write(head("POST", "/api/v1/push", 100));
      socket.getOutputStream().write("{\"items\":[{\"queue\":\"hostile-stall\"".getBytes(
          StandardCharsets.UTF_8));
      var r = RawHttp.read(socket.getInputStream());
      long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertThat(r.status()).as(r.toString()).isEqualTo(408);
      assertThat(error("stalled", r)).contains("Request body incomplete", "34 of 100 bytes",
          "nothing for " + READ_TIMEOUT_MS + " ms");
      assertThat(ms).isBetween((long) READ_TIMEOUT_MS - 50, 5L * READ_TIMEOUT_MS);
      assertThat(RawHttp.closesWithin(socket, Duration.ofSeconds(2))).isTrue();
    }
    // a chunked body that stalls after a chunk, too
    try (var socket = raw.open()) {
      socket.getOutputStream().write(("POST /api/v1/push HTTP/1.1\r\nHost: x\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"ite\r\n").getBytes(StandardCharsets.UTF_8));
      var r = RawHttp.read(socket.getInputStream());
      assertThat(r.status()).as(r.toString()).isEqualTo(408);
      assertThat(error("stalled chunks", r)).contains("5 bytes received");
    }
    assertThat(databaseState()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void headers_that_stop_arriving_close_the_connection_within_the_bound() throws IOException {
    try (var socket = raw.open()) {
      socket.getOutputStream().write("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Le"
          .getBytes(StandardCharsets.UTF_8));
      long start = System.nanoTime();
      assertThat(RawHttp.closesWithin(socket, Duration.ofMillis(5L * READ_TIMEOUT_MS))).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis())
          .isGreaterThanOrEqualTo(READ_TIMEOUT_MS - 50);
    }
  }

  @Test
  @Order(3)
  void a_slow_but_steady_upload_is_not_cut_off() throws Exception {
    var body = "{\"items\":[{\"queue\":\"hostile-slow\",\"payload\":\"steady\"}]}"
        .getBytes(StandardCharsets.UTF_8);
    try (var socket = raw.open()) {
      var out = socket.getOutputStream();
      out.write(head("POST", "/api/v1/push", body.length));
      long start = System.nanoTime();
      // the client's own pace (the input of this test, not a wait for the server): six chunks,
      // 30% of the timeout apart, one and a half times the timeout in all
      int step = (body.length + 5) / 6;
      for (int i = 0; i < body.length; i += step) {
        out.write(body, i, Math.min(step, body.length - i));
        out.flush();
        if (i + step < body.length) {
          Thread.sleep(READ_TIMEOUT_MS * 3 / 10);
        }
      }
      var r = RawHttp.read(socket.getInputStream());
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis())
          .isGreaterThan(READ_TIMEOUT_MS);
    }
    assertThat(count("hostile-slow")).isEqualTo(1);
  }

  @Test
  @Order(3)
  void a_body_that_breaks_off_is_refused_and_stores_nothing() throws IOException {
    var before = databaseState();
    // half a body, then the client's half-close: it can still read the answer
    try (var socket = raw.open()) {
      socket.getOutputStream().write(head("POST", "/api/v1/push", 100));
      socket.getOutputStream().write("{\"items\":[{\"queue\":\"hostile-half\"}]".getBytes(
          StandardCharsets.UTF_8));
      socket.shutdownOutput();
      var r = RawHttp.read(socket.getInputStream());
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(error("half-closed", r)).contains("Request body incomplete", "35 of 100 bytes");
    }
    // a malformed chunk: Undertow closes the connection
    try (var socket = raw.open()) {
      socket.getOutputStream().write(("POST /api/v1/push HTTP/1.1\r\nHost: x\r\n"
          + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{\"items\":[]}\r\n0\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      assertThat(RawHttp.closesWithin(socket, Duration.ofSeconds(5))).isTrue();
    }
    // abandoned: headers and half a valid push, then gone (a close, and a reset)
    for (boolean reset : new boolean[] {false, true}) {
      var socket = raw.open();
      socket.getOutputStream().write(head("POST", "/api/v1/push", 60));
      socket.getOutputStream().write("{\"items\":[{\"queue\":\"hostile-gone\"}".getBytes(
          StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      if (reset) {
        socket.setSoLinger(true, 0);
      }
      socket.close();
    }
    assertThat(h.get("/health").status()).isEqualTo(200);
    assertThat(databaseState()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void hundreds_of_connections_opened_and_dropped_leave_the_server_healthy() throws Exception {
    var before = databaseState();
    var sockets = new ArrayList<Socket>();
    try {
      for (int i = 0; i < 400; i++) {
        var s = raw.open();
        sockets.add(s);
        var o = s.getOutputStream();
        switch (i % 8) {
          case 0 -> { } // connects and says nothing
          case 1 -> o.write("GET /api/v1/po".getBytes(StandardCharsets.UTF_8));
          case 2 -> o.write(head("POST", "/api/v1/push", 1000));
          case 3 -> o.write(concat("", head("POST", "/api/v1/push", 1000),
              "{\"items\":[{\"queue\":\"hostile-drop\""));
          case 4 -> o.write(("GET /api/v1/pop/queue/hostile-lp?wait=true&timeout=30000 HTTP/1.1"
              + "\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.UTF_8));
          case 5 -> o.write(("GET /api/v1/pop/queue/hostile-lp?wait=true&timeout=30000"
              + "&consumerGroup=g" + i + " HTTP/1.1\r\nHost: x\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
          case 6 -> o.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
              .getBytes(StandardCharsets.UTF_8));
          default -> o.write(RawHttp.request("POST", "/api/v1/push", "application/json",
              "{\"items\":[{\"queue\":5}]}".getBytes(StandardCharsets.UTF_8)));
        }
        o.flush();
      }
      // the long polls are parked: every one of them is waiting before the clients go
      waitUntil("40 parked long polls", () -> parked() >= 40);
    } finally {
      for (int i = 0; i < sockets.size(); i++) {
        if (i % 2 == 0) {
          sockets.get(i).setSoLinger(true, 0); // a reset instead of a close
        }
        sockets.get(i).close();
      }
    }
    // the server notices every gone long poll, and none of them takes a message
    waitUntil("no parked long poll", () -> parked() == 0);
    assertThat(h.post("/api/v1/push", "{\"items\":[{\"queue\":\"hostile-lp\",\"payload\":7}]}")
        .status()).isEqualTo(201);
    var m = popped(h.get("/api/v1/pop/queue/hostile-lp?wait=true&timeout=5000&autoAck=true"));
    assertThat(m).hasSize(1);
    assertThat(m.get(0).getAsJsonObject().get("data").getAsInt()).isEqualTo(7);
    assertThat(h.get("/health").status()).isEqualTo(200);
    var workers = h.metrics().getAsJsonArray("workers");
    workers.forEach(w -> assertThat(w.getAsJsonObject().get("outstanding").getAsInt())
        .as("requests in flight after the clients left: %s", w).isLessThanOrEqualTo(1));
    // the message popped was the only change
    h.delete("/api/v1/resources/queues/hostile-lp");
    assertThat(databaseState()).isEqualTo(before);
  }

  private int parked() {
    return h.metrics().getAsJsonArray("workers").asList().stream()
        .mapToInt(w -> w.getAsJsonObject().get("parkedExchanges").getAsInt()).sum();
  }

  /** Asks again until {@code condition} holds, failing after 10 s. */
  private static void waitUntil(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("still not: %s", what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  // ---- afterwards --------------------------------------------------------------------------

  @Test
  @Order(9)
  void afterwards_the_known_messages_are_intact_and_in_order_and_the_server_serves()
      throws SQLException {
    var messages = popped(h.get("/api/v1/pop/queue/" + KNOWN + "?batch=100&autoAck=true"));
    assertThat(messages).hasSize(KNOWN_COUNT);
    for (int i = 0; i < KNOWN_COUNT; i++) {
      var m = messages.get(i).getAsJsonObject();
      assertThat(m.get("transactionId").getAsString()).isEqualTo("known-" + (i + 1));
      assertThat(m.get("partition").getAsString()).isEqualTo("p");
      var data = m.getAsJsonObject("data");
      assertThat(data.get("n").getAsInt()).isEqualTo(i + 1);
      assertThat(data.get("s").getAsString()).isEqualTo("caf\u00e9 \ud83d\ude00");
    }
    var configured = h.get("/api/v1/resources/queues/hostile-configured");
    assertThat(configured.status()).isEqualTo(200);
    assertThat(configured.object().get("namespace").getAsString()).isEqualTo("hns");
    var maintenance = h.get("/api/v1/system/maintenance").object();
    assertThat(maintenance.get("maintenanceMode").getAsBoolean()).isFalse();
    assertThat(maintenance.get("popMaintenanceMode").getAsBoolean()).isFalse();

    assertThat(h.get("/health").status()).isEqualTo(200);
    var pushes = IntStream.range(0, 200).mapToObj(i -> h.postAsync("/api/v1/push",
        "{\"items\":[{\"queue\":\"hostile-burst\",\"transactionId\":\"b-" + i + "\"}]}")).toList();
    CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).join();
    for (var p : pushes) {
      assertThat(p.join().status()).as(p.join().toString()).isEqualTo(201);
    }
    assertThat(count("hostile-burst")).isEqualTo(200);
    assertThat(h.get("/health").status()).isEqualTo(200);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static byte[] request(Route route, String target, String body) {
    return RawHttp.request(route.method(), target, body == null ? null : "application/json",
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] request(Route route, String target, byte[] body) {
    return RawHttp.request(route.method(), target, "application/json", body);
  }

  /** Request headers announcing {@code length} body bytes (the connection kept open). */
  private static byte[] head(String method, String target, int length) {
    return (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + "application/json\r\nContent-Length: " + length + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(int... values) {
    var out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** UTF-8 of {@code before}, the raw bytes, then {@code after} (ISO-8859-1: byte for byte). */
  private static byte[] concat(String before, byte[] middle, String after) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }

  /** A value short enough for a test's name. */
  private static String shortly(String s) {
    var printable = s.replaceAll("\\p{Cntrl}", "\uFFFD");
    return printable.length() <= 40 ? printable
        : printable.substring(0, 30) + "...(" + printable.length() + " chars)";
  }

  private long count(String queue) throws SQLException {
    try (var c = h.database.connect(); var s = c.prepareStatement("SELECT count(*) FROM "
        + "queen.messages m JOIN queen.partitions p ON p.id = m.partition_id JOIN queen.queues q "
        + "ON q.id = p.queue_id WHERE q.name = ?")) {
      s.setString(1, queue);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Every table that holds what clients stored, as counts and checksums: queues and their
   * options, partitions and their sequence numbers, messages and their payloads, cursors and
   * leases, per-message states, subscriptions, dead letters, traces, the maintenance switches.
   */
  private Map<String, String> databaseState() {
    var queries = new LinkedHashMap<String, String>();
    queries.put("queues", "SELECT name, namespace, task, priority, lease_time, retry_limit, "
        + "retry_delay, ttl, dead_letter_queue, max_queue_size, retention_enabled, "
        + "encryption_enabled FROM queen.queues ORDER BY name");
    queries.put("partitions", "SELECT id, queue_id, name, last_seq FROM queen.partitions "
        + "ORDER BY id");
    queries.put("messages", "SELECT id, transaction_id, partition_id, seq, payload::text, trace_id "
        + "FROM queen.messages ORDER BY id");
    queries.put("cursors", "SELECT partition_id, consumer_group, cursor_seq, worker_id, "
        + "lease_expires_at FROM queen.partition_consumers ORDER BY 1, 2");
    queries.put("states", "SELECT partition_id, consumer_group, seq, settled, failure_count "
        + "FROM queen.message_states ORDER BY 1, 2, 3");
    queries.put("subscriptions", "SELECT consumer_group, queue_name, subscription_mode, "
        + "subscription_timestamp FROM queen.consumer_groups_metadata ORDER BY 1, 2");
    queries.put("dead letters", "SELECT message_id, consumer_group FROM queen.dead_letter_queue "
        + "ORDER BY 1, 2");
    queries.put("traces", "SELECT id FROM queen.message_traces ORDER BY 1");
    queries.put("trace names", "SELECT trace_id, trace_name FROM queen.message_trace_names "
        + "ORDER BY 1, 2");
    queries.put("switches", "SELECT key, value::text FROM queen.system_state "
        + "WHERE key LIKE '%maintenance%' ORDER BY 1");
    var state = new LinkedHashMap<String, String>();
    try (var c = h.database.connect(); var s = c.createStatement()) {
      for (var e : queries.entrySet()) {
        try (var rs = s.executeQuery(e.getValue())) {
          int columns = rs.getMetaData().getColumnCount();
          int rows = 0;
          var text = new StringBuilder();
          while (rs.next()) {
            rows++;
            for (int i = 1; i <= columns; i++) {
              text.append(rs.getString(i)).append('|');
            }
            text.append('\n');
          }
          state.put(e.getKey(), rows + " rows, " + text.toString().hashCode());
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return state;
  }
}
