package io.queen.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The version hash and the start-up shaping of the files, without a server. */
class DashboardAssetsTest {
  private static Map<String, byte[]> files(String... namesAndTexts) {
    var m = new HashMap<String, byte[]>();
    for (int i = 0; i < namesAndTexts.length; i += 2) {
      m.put(namesAndTexts[i], namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return m;
  }

  private static final String INDEX = "<script type=\"module\" src=\"{{ASSETS}}/app.js\"></script>"
      + "<link rel=\"stylesheet\" href=\"{{ASSETS}}/app.css\">"
      + "<link rel=\"stylesheet\" href=\"{{UPLOT}}/dist/uPlot.min.css\">";

  @Test
  void the_same_files_give_the_same_hash_whatever_order_they_are_listed_in() {
    var a = files("index.html", INDEX, "app.js", "x()", "app.css", "a{}");
    var b = new java.util.LinkedHashMap<String, byte[]>();
    b.put("app.css", "a{}".getBytes(StandardCharsets.UTF_8));
    b.put("index.html", INDEX.getBytes(StandardCharsets.UTF_8));
    b.put("app.js", "x()".getBytes(StandardCharsets.UTF_8));
    assertThat(DashboardAssets.versionHash(a)).matches("[0-9a-f]{12}")
        .isEqualTo(DashboardAssets.versionHash(b));
  }

  @Test
  void one_changed_byte_a_renamed_file_or_bytes_moved_between_files_change_the_hash() {
    var base = DashboardAssets.versionHash(files("index.html", INDEX, "app.js", "x()"));
    assertThat(DashboardAssets.versionHash(files("index.html", INDEX, "app.js", "y()")))
        .isNotEqualTo(base);
    assertThat(DashboardAssets.versionHash(files("index.html", INDEX, "main.js", "x()")))
        .isNotEqualTo(base);
    assertThat(DashboardAssets.versionHash(files("a", "bc", "b", "")))
        .isNotEqualTo(DashboardAssets.versionHash(files("a", "b", "b", "c")));
  }

  @Test
  void every_token_of_the_index_is_replaced_and_its_files_are_served_under_the_hash() {
    var assets = DashboardAssets.of(files("index.html", INDEX, "app.js", "x()", "app.css", "a{}",
        "icons/queen.svg", "<svg/>", ".DS_Store", "junk", "DashboardHandler.class", "\u00ca\u00fe"),
        "9.9.9", files("uPlot.esm.js", "u"));
    var index = new String(assets.index().body(), StandardCharsets.UTF_8);
    var prefix = "/assets/" + assets.version();
    assertThat(index).doesNotContain("{{").contains(prefix + "/app.js", prefix + "/app.css",
        "/webjars/uplot/9.9.9/dist/uPlot.min.css");
    assertThat(assets.file(prefix + "/app.js").cacheControl()).isEqualTo(DashboardAssets.IMMUTABLE);
    assertThat(assets.file(prefix + "/icons/queen.svg").contentType()).isEqualTo("image/svg+xml");
    assertThat(assets.file("/webjars/uplot/9.9.9/dist/uPlot.esm.js")).isNotNull();
    assertThat(assets.file(prefix + "/index.html")).as("the index only at the page's paths")
        .isNull();
    assertThat(assets.file(prefix + "/.DS_Store")).isNull();
    assertThat(assets.file(prefix + "/DashboardHandler.class")).as("the package's own classes")
        .isNull();
    assertThat(assets.size()).isEqualTo(5);
  }

  @Test
  void a_file_name_a_url_path_cannot_carry_as_it_is_stops_the_start() {
    assertThatThrownBy(() -> DashboardAssets.of(files("index.html", INDEX, "my file.js", ""),
        "1.0.0", files()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'my file.js'");
    assertThatThrownBy(() -> DashboardAssets.of(files("app.js", ""), "1.0.0", files()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("index.html");
  }

  @Test
  void content_types_follow_the_extension_and_unknown_ones_are_only_bytes() {
    assertThat(DashboardAssets.contentType("a.html")).isEqualTo("text/html; charset=utf-8");
    assertThat(DashboardAssets.contentType("a.MJS")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(DashboardAssets.contentType("a.json")).isEqualTo("application/json");
    assertThat(DashboardAssets.contentType("a.png")).isEqualTo("image/png");
    assertThat(DashboardAssets.contentType("a.ico")).isEqualTo("image/x-icon");
    assertThat(DashboardAssets.contentType("a.woff2")).isEqualTo("font/woff2");
    assertThat(DashboardAssets.contentType("a.d.ts")).isEqualTo("application/octet-stream");
  }

  @Test
  void the_single_page_fallback_and_the_path_check_decide_as_documented() {
    for (var page : new String[] {"/", "/queues", "/queues/", "/groups/billing", "/apis",
        "/queues/orders.v2", "/queues/a%2Fb", "/messages/p/t.1"}) {
      assertThat(DashboardHandler.pageRoute(page)).as(page).isTrue();
    }
    for (var other : new String[] {"/api", "/api/", "/api/v1/x", "/health", "/healthz",
        "/metrics/prometheus", "/assets/x", "/webjars/x", "/favicon.ico", "/q/a.b",
        "/queues/%2e%2e", "/queues/..", "/queues/a%00", "/queues/a/b.js", "/messages/p.1"}) {
      assertThat(DashboardHandler.pageRoute(other)).as(other).isFalse();
    }
    for (var ok : new String[] {"/", "/queues/", "/queues/a%20b", "/assets/abc/app.js"}) {
      assertThat(DashboardHandler.safe(ok)).as(ok).isTrue();
    }
    for (var bad : new String[] {"", "x", "//", "/a//b", "/..", "/a/./b", "/a/%2e", "/a/%2E%2e",
        "/a%2fb", "/a%2Fb", "/a%5cb", "/a%5Cb", "/a\\b", "/a%00", "/a%1F", "/a%7f", "/a\u0000",
        "/a%", "/a%4", "/a%zz", "/caf\u00e9"}) {
      assertThat(DashboardHandler.safe(bad)).as(bad).isFalse();
    }
  }
}
