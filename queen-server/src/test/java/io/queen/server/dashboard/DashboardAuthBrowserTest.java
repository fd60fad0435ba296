package io.queen.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.queen.server.security.Tokens;
import io.queen.server.testing.ServerHarness;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dashboard with JWT authentication on: it asks for a token, keeps it in the tab's session
 * storage only, shows who is signed in, and hides what the token's role may not do; the API
 * still decides (a reader's direct call to an admin route is refused).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardAuthBrowserTest {
  ServerHarness http;
  Browser browser;
  final String admin = Tokens.hs256("ada", "admin");
  final String reader = Tokens.hs256("rita", "read-only");

  @BeforeAll
  void startASecuredServerWithAQueue() {
    http = ServerHarness.start(Tokens.hs256Server());
    browser = new Browser(http.base, DashboardBrowserTest.SHOTS);
    var pushed = http.send(HttpRequest.newBuilder(http.uri("/api/v1/push"))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"items\":[{\"queue\":\"ledger\",\"partition\":\"eu\",\"payload\":{\"n\":1}}]}")));
    assertThat(pushed.status()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (http != null) {
      http.close();
    }
  }

  @Test
  void withoutATokenItAsksForOneAndRefusesABadOne() {
    browser.open("/queues/ledger").awaitText("Sign in");
    signIn("not-a-jwt");
    browser.awaitText("refused").awaitText("Sign in");
    assertThat(browser.script("return sessionStorage.getItem('queen.dashboard.token')")).isNull();
    // the page's own 401s are what it reacts to, reported by the browser as failed loads
    assertThat(browser.consoleErrors()).allMatch(e -> e.contains("401"));
  }

  @Test
  void aReaderSeesTheDataButNoneOfTheActionsOnlyAdminsMayTake() {
    browser.open("/").awaitText("Sign in");
    signIn(reader);
    browser.awaitText("Messages stored");
    assertThat(browser.consoleErrors()).as("only the probe before signing in was refused")
        .allMatch(e -> e.contains("/api/v1/session") && e.contains("401"));
    assertThat(browser.find("#who").getText()).isEqualTo("rita · read-only");
    assertThat(browser.script("return sessionStorage.getItem('queen.dashboard.token')"))
        .isEqualTo(reader);
    assertThat(browser.script("return Object.keys(localStorage).filter(k => "
        + "localStorage.getItem(k).includes('eyJ')).length")).isEqualTo(0L);

    browser.open("/queues/ledger").awaitText("eu");
    assertThat(browser.hasButton("Delete queue")).isFalse();
    assertThat(browser.hasButton("Purge messages")).isFalse();
    assertThat(browser.hasButton("Browse messages")).isTrue();
    browser.open("/system").awaitText("Maintenance switches need the admin role.");
    assertThat(browser.all("#pop-maintenance")).isEmpty();
    browser.screenshot("system-read-only");
    assertThat(browser.consoleErrors()).as("a reader's pages call nothing it may not").isEmpty();

    // hiding is a courtesy: the API itself refuses the reader
    var direct = http.send(HttpRequest.newBuilder(http.uri("/api/v1/system/maintenance/pop"))
        .header("Authorization", "Bearer " + reader).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\":true}")));
    assertThat(direct.status()).isEqualTo(403);
    browser.button("Sign out").click();
    browser.awaitText("Sign in");
    assertThat(browser.script("return sessionStorage.getItem('queen.dashboard.token')")).isNull();
  }

  @Test
  void anAdminSeesTheActions() {
    browser.open("/queues/ledger").awaitText("Sign in");
    signIn(admin);
    browser.awaitText("eu");
    assertThat(browser.find("#who").getText()).isEqualTo("ada · admin");
    assertThat(browser.hasButton("Delete queue")).isTrue();
    assertThat(browser.hasButton("Purge messages")).isTrue();
    browser.open("/system").awaitText("Pop maintenance");
    assertThat(browser.all("#pop-maintenance")).hasSize(1);
    assertThat(browser.consoleErrors()).allMatch(e -> e.contains("401"));
    browser.button("Sign out").click();
  }

  private void signIn(String token) {
    var area = browser.find("#token");
    area.clear();
    area.sendKeys(token);
    browser.button("Sign in").click();
  }
}
