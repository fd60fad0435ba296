package io.queen.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.queen.server.hostile.RawHttp;
import io.queen.server.testing.ServerHarness;
import io.queen.server.testing.ServerHarness.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard's files over real HTTP from a real server: the index at {@code /} and at the
 * page's own paths, the hashed files and uPlot's, their headers and caching, and every path that
 * must not reach them (the API's, unknown files, traversal in all its spellings, sent byte for
 * byte so no client tidies them up first).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardServingTest {
  private static final Pattern APP_JS = Pattern.compile("/assets/([0-9a-f]{12})/app\\.js");
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private ServerHarness h;
  private RawHttp raw;
  private String hash;

  @BeforeAll
  void start() {
    h = ServerHarness.start();
    raw = new RawHttp(h.server.port());
    var index = h.get("/");
    var m = APP_JS.matcher(index.body());
    assertThat(m.find()).as("the index names app.js under its hash: %s", index).isTrue();
    hash = m.group(1);
  }

  @AfterAll
  void stop() {
    h.close();
    assertThat(h.server.ownerThreadViolations()).isZero();
  }

  private static String header(Reply r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private Reply send(String method, String path, String... headers) {
    var b = HttpRequest.newBuilder(h.uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return h.send(b);
  }

  private static void assertIndex(String path, Reply r) {
    assertThat(r.status()).as("%s -> %s", path, r).isEqualTo(200);
    assertThat(header(r, "Content-Type")).as(path).isEqualTo("text/html; charset=utf-8");
    assertThat(header(r, "Cache-Control")).as(path).isEqualTo("no-cache");
    assertThat(r.body()).as(path).containsPattern(APP_JS);
  }

  private static void assertJsonNotFound(String method, String path, Reply r) {
    assertThat(r.status()).as("%s %s -> %s", method, path, r).isEqualTo(404);
    assertThat(header(r, "Content-Type")).as(path).startsWith("application/json");
    assertThat(r.error()).as(path).isEqualTo("Not found: " + method + " " + path);
  }

  /** uPlot's version as its webjar names it on the class path (the pom's uplot.version). */
  private static String uplotVersion() {
    try (InputStream in = DashboardServingTest.class.getClassLoader()
        .getResourceAsStream(DashboardAssets.UPLOT_POM)) {
      assertThat(in).as(DashboardAssets.UPLOT_POM).isNotNull();
      var p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardServingTest.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- the index -----------------------------------------------------------------------------

  @Test
  void the_index_is_served_at_the_root_with_its_assets_under_the_version_hash() {
    var r = h.get("/");
    assertIndex("/", r);
    assertThat(r.body()).doesNotContain(DashboardAssets.ASSETS_TOKEN)
        .contains("/assets/" + hash + "/app.css");
    assertThat(hash).isEqualTo(DashboardAssets.load(getClass().getClassLoader()).version());
  }

  @Test
  void the_index_is_revalidated_by_its_etag_and_answered_304_when_unchanged() {
    var r = h.get("/");
    var etag = header(r, "ETag");
    assertThat(etag).matches("\"[0-9a-f]{16}\"");
    var same = send("GET", "/", "If-None-Match", etag);
    assertThat(same.status()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(header(same, "ETag")).isEqualTo(etag);
    assertThat(header(same, "Cache-Control")).isEqualTo("no-cache");
    assertThat(send("GET", "/queues", "If-None-Match", "\"other\", W/" + etag).status())
        .isEqualTo(304);
    assertThat(send("HEAD", "/", "If-None-Match", "*").status()).isEqualTo(304);
    assertIndex("/", send("GET", "/", "If-None-Match", "\"0123456789abcdef\""));
  }

  @Test
  void the_index_carries_the_content_security_policy_nosniff_and_no_referrer() {
    var r = h.get("/");
    assertThat(header(r, "Content-Security-Policy")).isEqualTo("default-src 'self'; "
        + "img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    assertThat(header(r, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(r, "Referrer-Policy")).isEqualTo("no-referrer");
  }

  @Test
  void the_pages_own_paths_get_the_index_so_a_deep_link_or_reload_works() {
    for (var path : List.of("/queues", "/queues/", "/queues/orders", "/groups/billing",
        "/messages/3f2b/9a1c", "/system", "/queues/my%20queue", "/queues?tab=partitions",
        "/apis", "/overview/path-without-a-dot", "/queues/orders.v2", "/queues/a%2Fb",
        "/groups/billing.eu", "/messages/3f2b/order.17", "/queues/%E2%9C%93")) {
      assertIndex(path, h.get(path));
    }
    var head = raw.exchange(RawHttp.request("HEAD", "/queues/orders", null, null));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(Integer.parseInt(head.header("content-length"))).isPositive();
    assertThat(head.body()).as("HEAD has no body").isEmpty();
  }

  // ---- what keeps its own answer -------------------------------------------------------------

  @Test
  void api_health_and_metrics_paths_keep_their_own_answers_never_the_index() {
    for (var path : List.of("/api/v1/nope", "/api/", "/api", "/api/v1/queues/x/y/z",
        "/healthz", "/health/nope", "/metrics/nope", "/metricsx", "/assets", "/webjars",
        "/favicon.ico", "/queues/a/b.js", "/robots.txt")) {
      assertJsonNotFound("GET", path, h.get(path));
    }
    assertJsonNotFound("POST", "/queues", h.post("/queues", "{}"));
    assertJsonNotFound("DELETE", "/", h.delete("/"));
    var health = h.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.object().has("status")).isTrue();
    assertThat(h.get("/metrics").object().has("requests")).isTrue();
    var prometheus = h.get("/metrics/prometheus");
    assertThat(prometheus.status()).isEqualTo(200);
    assertThat(header(prometheus, "Content-Type")).startsWith("text/plain");
    assertThat(prometheus.body()).doesNotContain("<html");
  }

  // ---- the hashed files and uPlot ------------------------------------------------------------

  @Test
  void a_hashed_asset_is_immutable_with_its_content_type_and_nosniff() {
    var js = h.get("/assets/" + hash + "/app.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(header(js, "Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(header(js, "Cache-Control")).isEqualTo(IMMUTABLE);
    assertThat(header(js, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(js.body()).isEqualTo(new String(resource(DashboardAssets.DIRECTORY + "app.js"),
        StandardCharsets.UTF_8));
    var css = h.get("/assets/" + hash + "/app.css");
    assertThat(css.status()).isEqualTo(200);
    assertThat(header(css, "Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(header(css, "Cache-Control")).isEqualTo(IMMUTABLE);
  }

  @Test
  void head_of_an_asset_answers_its_headers_and_no_body() {
    var length = resource(DashboardAssets.DIRECTORY + "app.js").length;
    var r = raw.exchange(RawHttp.request("HEAD", "/assets/" + hash + "/app.js", null, null));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(r.header("content-length")).isEqualTo(Integer.toString(length));
    assertThat(r.header("cache-control")).isEqualTo(IMMUTABLE);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void a_wrong_hash_or_an_unknown_file_is_a_json_404() {
    var other = hash.equals("000000000000") ? "111111111111" : "000000000000";
    for (var path : List.of("/assets/" + other + "/app.js", "/assets/" + hash + "/nope.js",
        "/assets/" + hash + "/index.html", "/assets/" + hash, "/assets/" + hash + "/",
        "/assets/" + hash + "/APP.JS", "/assets/" + hash + "/app.js/", "/assets/app.js",
        "/assets/" + hash + "/app.js%20")) {
      assertJsonNotFound("GET", path, h.get(path));
    }
  }

  @Test
  void uplot_is_served_from_its_webjar_under_its_version() {
    var version = uplotVersion();
    var path = "/webjars/uplot/" + version + "/dist/uPlot.esm.js";
    var r = h.get(path);
    assertThat(r.status()).as(path).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(header(r, "Cache-Control")).isEqualTo(IMMUTABLE);
    assertThat(header(r, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.body()).isEqualTo(new String(resource("META-INF/resources/webjars/uplot/"
        + version + "/dist/uPlot.esm.js"), StandardCharsets.UTF_8));
    var css = h.get("/webjars/uplot/" + version + "/dist/uPlot.min.css");
    assertThat(header(css, "Content-Type")).isEqualTo("text/css; charset=utf-8");
    for (var missing : List.of("/webjars/uplot/0.0.1/dist/uPlot.esm.js",
        "/webjars/uplot/" + version + "/package.json", "/webjars/uplot/" + version + "/dist/",
        "/webjars/uplot/" + version + "/dist/nope.js")) {
      assertJsonNotFound("GET", missing, h.get(missing));
    }
  }

  // ---- traversal -----------------------------------------------------------------------------

  @Test
  void every_path_traversal_form_is_refused_and_reaches_no_file() {
    var v = uplotVersion();
    var a = "/assets/" + hash;
    var targets = new ArrayList<>(List.of(
        a + "/../" + hash + "/app.js", a + "/./app.js", "/assets/" + hash + "/.",
        "/assets/../assets/" + hash + "/app.js", "/webjars/uplot/" + v + "/dist/../package.json",
        "/webjars/uplot/" + v + "/../" + v + "/dist/uPlot.esm.js",
        a + "/%2e%2e/" + hash + "/app.js", a + "/%2E%2E/" + hash + "/app.js",
        a + "/%2e/app.js", a + "/app%2ejs", "/assets%2f" + hash + "%2fapp.js",
        a + "%2Fapp.js", a + "/..%2f..%2fQueenServer.class", a + "/..%5c..%5capp.js",
        a + "%5Capp.js", a + "\\app.js", a + "/..\\..\\app.js", a + "//app.js",
        "//assets/" + hash + "/app.js", a + "/app.js%00", a + "/app.js%0a", a + "/%7Fapp.js",
        "/queues/%2e%2e", "/queues/%2E%2E/system", "/queues/..", "/queues/./orders", "/..",
        "/.", "/queues//orders", "//", "/queues%2forders", "/queues%5corders", "/queues\\orders",
        "/queues%00", "/queues/%", "/queues/%2", "/..%2f..%2fetc%2fpasswd", "/%2e%2e%2f"));
    targets.addAll(List.of("/queues\u0000x", a + "/app.js\u0001", "/queues\u007f"));
    for (var target : targets) {
      var r = raw.exchange(RawHttp.request("GET", target, null, null));
      assertThat(r.status()).as("%s -> %s", target, r).isIn(400, 404);
      if (r.status() == 400 && r.body().length == 0) {
        continue; // Undertow's parser refused the request line itself
      }
      assertThat(r.header("content-type")).as("%s -> %s", target, r)
          .startsWith("application/json");
      if (r.status() == 404) {
        assertThat(JsonParser.parseString(r.text()).getAsJsonObject().get("error").getAsString())
            .as(target).isEqualTo("Not found: GET " + target);
      }
    }
    assertThat(h.get("/health").status()).isEqualTo(200);
  }

  // ---- the server around it ------------------------------------------------------------------

  @Test
  void dashboard_answers_are_counted_under_their_own_operation() {
    h.get("/");
    h.get("/assets/" + hash + "/app.js");
    var dashboard = h.metrics().getAsJsonObject("requests").getAsJsonObject("byOperation")
        .getAsJsonObject(DashboardHandler.OPERATION);
    assertThat(dashboard).as("byOperation.dashboard").isNotNull();
    assertThat(dashboard.get("requests").getAsLong()).isGreaterThanOrEqualTo(2);
    assertThat(h.get("/metrics/prometheus").body())
        .contains("operation=\"" + DashboardHandler.OPERATION + "\"");
  }

  @Test
  void the_static_files_need_no_token_while_every_api_call_does() {
    try (var secured = ServerHarness.start(env -> {
      env.put("JWT_ENABLED", "true");
      env.put("JWT_SECRET", "a-test-secret-that-is-long-enough-for-hs256!");
      env.put("JWT_SKIP_PATHS", ""); // nothing skipped: only the dashboard is open
      return env;
    })) {
      var index = secured.get("/queues/orders");
      assertIndex("/queues/orders", index);
      var m = APP_JS.matcher(index.body());
      assertThat(m.find()).isTrue();
      assertThat(secured.get("/assets/" + m.group(1) + "/app.js").status()).isEqualTo(200);
      assertThat(secured.get("/api/v1/status").status()).isEqualTo(401);
      assertThat(secured.get("/health").status()).isEqualTo(401);
      assertThat(secured.get("/api/v1/nope").status()).as("unknown API path").isEqualTo(404);
    }
  }

  @Test
  void with_the_dashboard_disabled_the_root_is_the_json_404() {
    try (var off = ServerHarness.start(env -> {
      env.put("DASHBOARD_ENABLED", "false");
      return env;
    })) {
      for (var path : List.of("/", "/queues/orders", "/assets/" + hash + "/app.js",
          "/webjars/uplot/" + uplotVersion() + "/dist/uPlot.esm.js")) {
        assertJsonNotFound("GET", path, off.get(path));
      }
      assertThat(off.metrics().getAsJsonObject("requests").getAsJsonObject("byOperation")
          .has(DashboardHandler.OPERATION)).isFalse();
    }
  }
}
