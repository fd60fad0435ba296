package io.queen.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.queen.server.testing.ServerHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;

/**
 * The dashboard in headless Chromium against a real server and PostgreSQL: every page loads with
 * no console error and no failed request and shows the data pushed here, and its actions work end
 * to end (their effect is checked through the HTTP API, as any client would see it). Screenshots
 * go to {@code target/dashboard-screenshots}, or where {@code -Dqueen.screenshots} says
 * ({@code docs/images} for the documentation).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  static final Path SHOTS = Path.of(System.getProperty("queen.screenshots",
      "target/dashboard-screenshots"));

  ServerHarness http;
  Browser browser;
  String firstOrder;
  String firstOrderPartition;
  JsonObject markupOrder;

  @BeforeAll
  void startServerAndBrowserWithData() {
    http = ServerHarness.start();
    browser = new Browser(http.base, SHOTS);
    // orders: six messages over three partitions, billing consumes customer-1 and fails one
    // message of customer-2 into the dead-letter queue, and a trace names the flow
    ok(http.post("/api/v1/configure", """
        {"queue":"orders","options":{"retryLimit":0,"deadLetterQueue":true,"leaseTime":60}}"""));
    var pushed = http.post("/api/v1/push", """
        {"items":[
          {"queue":"orders","partition":"customer-1","payload":{"id":1,"total":12.5,"items":["book"]}},
          {"queue":"orders","partition":"customer-1","payload":{"id":2,"total":7}},
          {"queue":"orders","partition":"customer-2","payload":{"id":3,"note":"<img src=x onerror=alert(1)>"}},
          {"queue":"orders","partition":"customer-2","payload":{"id":4}},
          {"queue":"orders","partition":"customer-3","payload":{"id":5}},
          {"queue":"orders","partition":"customer-3","payload":{"id":6}}]}""");
    assertThat(pushed.status()).isEqualTo(201);
    var first = pushed.json().getAsJsonArray().get(0).getAsJsonObject();
    firstOrder = first.get("transaction_id").getAsString();
    firstOrderPartition = first.get("partition_id").getAsString();
    markupOrder = pushed.json().getAsJsonArray().get(2).getAsJsonObject();
    var billed = pop("orders", "customer-1", "billing");
    for (var m : billed) {
      ack(m, "billing", "completed", null);
      ok(http.post("/api/v1/traces", "{\"transactionId\":\"" + str(m, "transactionId")
          + "\",\"partitionId\":\"" + str(m, "partitionId") + "\",\"consumerGroup\":\"billing\","
          + "\"traceNames\":[\"order-flow\"],\"data\":{\"step\":\"billed\"}}"));
    }
    var customer2 = pop("orders", "customer-2", "billing");
    ack(customer2.get(0), "billing", "failed", "card declined: insufficient funds");
    ack(customer2.get(1), "billing", "completed", null);
    assertThat(http.get("/api/v1/dlq?queue=orders").object().get("total").getAsInt())
        .as("the failed message is a dead letter").isEqualTo(1);
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

  @AfterEach
  void noConsoleErrorsAndNoFailedRequests() {
    assertThat(browser.consoleErrors()).as("console errors").isEmpty();
    assertThat(browser.failedRequests()).as("failed requests").isEmpty();
  }

  static Stream<Arguments> pages() {
    return Stream.of(
        Arguments.of("overview", "/", "Messages stored"),
        Arguments.of("queues", "/queues", "orders"),
        Arguments.of("queue", "/queues/orders", "customer-3"),
        Arguments.of("groups", "/groups", "billing"),
        Arguments.of("group", "/groups/billing", "customer-1"),
        Arguments.of("messages", "/messages?queue=orders", "customer-2"),
        Arguments.of("dlq", "/dlq", "card declined: insufficient funds"),
        Arguments.of("traces", "/traces?name=order-flow", "billed"),
        Arguments.of("system", "/system", "Pop maintenance"));
  }

  /** First, so that the other pages' screenshots show the charts with data too. */
  @Test
  @Order(1)
  void theOverviewChartsThePushedMessagesOnceTheirMinuteIsWritten() {
    // the per-minute history is written every 10 s: wait for the API to have the point, then
    // the chart must show it
    browser.await(d -> http.get("/api/v1/status").object().getAsJsonArray("throughput").asList()
        .stream().anyMatch(p -> p.getAsJsonObject().get("ingested").getAsLong() >= 6));
    browser.open("/").awaitText("Messages stored");
    var summary = browser.await(d -> {
      var text = (String) browser.script(
          "return document.querySelector('.chart .sr-only').textContent");
      return text.startsWith("Messages per second, latest:") ? text : null;
    });
    assertThat(summary).matches("Messages per second, latest: Pushed [0-9.,]+, Consumed .*");
    assertThat(browser.all(".chart canvas")).as("one canvas per chart").hasSize(2);
    browser.screenshot("overview");
  }

  @ParameterizedTest(name = "{0} at {1} shows {2}")
  @MethodSource("pages")
  void eachPageLoadsAndShowsWhatWasPushed(String name, String path, String expected) {
    browser.open(path).awaitText(expected);
    assertThat(browser.unlabelled()).as("controls without an accessible name on " + path).isEmpty();
    assertThat(browser.script("return document.querySelectorAll('h1').length")).isEqualTo(1L);
    browser.screenshot(name);
  }

  @Test
  void onALaptopScreenNoPageScrollsSideways() {
    browser.width(1280);
    try {
      for (var page : pages().map(a -> (String) a.get()[1]).toList()) {
        browser.open(page).awaitReady();
        assertThat(browser.script("return document.documentElement.scrollWidth"
            + " <= document.documentElement.clientWidth")).as(page).isEqualTo(true);
      }
      browser.open("/queues/orders").awaitText("customer-1");
      browser.screenshot("queue-laptop");
    } finally {
      browser.width(1400);
    }
  }

  @Test
  void aMessagePageShowsThePayloadAsTextAndItsTraceTimeline() {
    browser.open("/messages/" + firstOrderPartition + "/" + firstOrder)
        .awaitText("\"total\": 12.5").awaitText("billed");
    var payload = browser.find("pre.payload");
    assertThat(payload.getText()).contains("\"items\": [");
    browser.screenshot("message");

    // a payload holding markup stays text: no element of it reaches the page
    browser.open("/messages/" + str(markupOrder, "partition_id") + "/"
        + str(markupOrder, "transaction_id")).awaitText("<img src=x onerror=alert(1)>");
    assertThat(browser.all("pre.payload img")).isEmpty();
  }

  @Test
  void theNavigationMovesBetweenPagesWithoutReloading() {
    browser.open("/");
    browser.script("window.__sameDocument = true");
    browser.button("Queues").click();
    browser.awaitReady().awaitText("orders");
    browser.driver().findElement(By.linkText("orders")).click();
    browser.awaitReady().awaitText("customer-2");
    assertThat(browser.driver().getCurrentUrl()).endsWith("/queues/orders");
    assertThat(browser.script("return window.__sameDocument === true")).isEqualTo(true);
    browser.driver().navigate().back();
    browser.awaitReady().awaitText("Namespace");
    assertThat(browser.driver().getCurrentUrl()).endsWith("/queues");
  }

  @Test
  void requeueingADeadLetterMakesTheNextPopOfItsGroupReceiveIt() {
    ok(http.post("/api/v1/configure", """
        {"queue":"refunds","options":{"retryLimit":0,"deadLetterQueue":true}}"""));
    ok(http.post("/api/v1/push", """
        {"items":[{"queue":"refunds","partition":"r","payload":{"refund":1}}]}"""));
    var failed = pop("refunds", "r", "payments").get(0);
    ack(failed, "payments", "failed", "gateway timeout");
    assertThat(popStatus("refunds", "r", "payments")).as("a dead letter is not delivered")
        .isEqualTo(204);

    browser.open("/dlq?queue=refunds").awaitText("gateway timeout");
    browser.find("input[type=checkbox][aria-label^='Select ']").click();
    browser.button("Requeue 1 selected").click();
    browser.find("dialog.confirm button.primary").click();
    browser.awaitToast("Requeued 1 dead letter");
    browser.awaitText("No dead letter matches");

    var again = pop("refunds", "r", "payments");
    assertThat(again).extracting(m -> str(m, "transactionId"))
        .containsExactly(str(failed, "transactionId"));
    ack(again.get(0), "payments", "completed", null);
  }

  @Test
  void seekingAGroupToTheEndAndBackToATimeMovesItsNextPop() {
    // audit has read nothing of customer-3 but its first message
    var firstRead = pop("orders", "customer-3", "audit");
    ack(firstRead.get(0), "audit", "completed", null);
    browser.open("/groups/audit").awaitText("customer-3");
    browser.button("Seek to end").click();
    browser.awaitToast("moved to the end");
    assertThat(popStatus("orders", "customer-3", "audit")).as("nothing after the end").isEqualTo(204);

    // back to a time before every message: all of them again
    browser.script("const i = document.querySelector('input[type=datetime-local]');"
        + "i.value = arguments[0]; i.dispatchEvent(new Event('input'));",
        java.time.LocalDateTime.ofInstant(Instant.now().minus(Duration.ofDays(1)),
            java.time.ZoneId.systemDefault()).withNano(0).toString());
    browser.button("Seek to time").click();
    browser.awaitToast("moved to 20");
    var replayed = pop("orders", "customer-3", "audit");
    assertThat(replayed).extracting(m -> m.getAsJsonObject("data").get("id").getAsInt())
        .containsExactly(5, 6);
    for (var m : replayed) {
      ack(m, "audit", "completed", null);
    }
  }

  @Test
  void popMaintenanceSwitchedOnInTheDashboardMakesPopsAnswerEmpty() {
    ok(http.post("/api/v1/push", """
        {"items":[{"queue":"paused","partition":"p","payload":{"n":1}}]}"""));
    browser.open("/system").awaitText("Pop maintenance");
    try {
      browser.find("#pop-maintenance").click();
      browser.awaitToast("Pop maintenance mode ON");
      assertThat(http.get("/api/v1/system/maintenance/pop").object().get("popMaintenanceMode")
          .getAsBoolean()).isTrue();
      assertThat(popStatus("paused", "p", "any")).as("paused pops answer at once, empty")
          .isEqualTo(204);
      browser.screenshot("system-pop-maintenance");
      browser.find("#pop-maintenance").click();
      browser.await(d -> !http.get("/api/v1/system/maintenance/pop").object()
          .get("popMaintenanceMode").getAsBoolean());
      assertThat(pop("paused", "p", "any")).hasSize(1);
    } finally {
      http.post("/api/v1/system/maintenance/pop", "{\"enabled\":false}");
    }
  }

  @Test
  void purgingAndDeletingAQueueAskForItsNameFirst() {
    ok(http.post("/api/v1/push", """
        {"items":[{"queue":"scratch","partition":"a","payload":1},{"queue":"scratch","partition":"b","payload":2}]}"""));
    browser.open("/queues/scratch").awaitText("Partitions");
    browser.button("Purge messages").click();
    var confirm = browser.find("dialog.confirm button.danger");
    assertThat(confirm.isEnabled()).as("disabled until the name is typed").isFalse();
    browser.find("dialog.confirm input").sendKeys("scratch");
    confirm.click();
    browser.awaitToast("Purged 2 message(s) from scratch");
    assertThat(http.get("/api/v1/status/queues/scratch").object().getAsJsonObject("totals")
        .getAsJsonObject("messages").get("total").getAsInt()).isZero();

    browser.button("Delete queue").click();
    browser.find("dialog.confirm button.secondary").click(); // cancel: nothing happens
    assertThat(http.get("/api/v1/status/queues/scratch").status()).isEqualTo(200);
    browser.button("Delete queue").click();
    browser.find("dialog.confirm input").sendKeys("scratch");
    browser.find("dialog.confirm button.danger").click();
    browser.await(d -> d.getCurrentUrl().endsWith("/queues"));
    assertThat(http.get("/api/v1/status/queues/scratch").status()).isEqualTo(404);
  }

  @Test
  void deletingAMessageFromItsPageRemovesItAndReturnsToItsQueuesMessages() {
    var pushed = http.post("/api/v1/push", """
        {"items":[{"queue":"mistakes","partition":"p","payload":{"oops":true}}]}""");
    var m = pushed.json().getAsJsonArray().get(0).getAsJsonObject();
    var path = "/messages/" + str(m, "partition_id") + "/" + str(m, "transaction_id");
    browser.open(path).awaitText("\"oops\": true");
    browser.button("Delete message").click();
    browser.find("dialog.confirm button.danger").click();
    browser.awaitToast("deleted");
    browser.await(d -> d.getCurrentUrl().endsWith("/messages?queue=mistakes"));
    assertThat(http.get("/api/v1" + path).status()).isEqualTo(404);
  }

  @Test
  void theMessageBrowserFiltersByStatus() {
    browser.open("/messages?queue=orders").awaitText("customer-3");
    new org.openqa.selenium.support.ui.Select(browser.find("select[name=status]"))
        .selectByValue("dead_letter");
    browser.button("Show").click();
    browser.await(d -> d.findElements(By.cssSelector("#view tbody tr")).size() == 1
        && d.findElement(By.cssSelector("#view tbody tr")).getText().contains("dead letter"));
    assertThat(browser.driver().getCurrentUrl()).contains("status=dead_letter");
  }

  @Test
  void deletingAGroupFromAQueueAsksForItsNameAndForgetsItsPositions() {
    ok(http.post("/api/v1/push", """
        {"items":[{"queue":"reports","partition":"r","payload":1}]}"""));
    var read = pop("reports", "r", "exporter");
    ack(read.get(0), "exporter", "completed", null);
    browser.open("/groups/exporter").awaitText("Queue reports");
    browser.button("Delete from this queue").click();
    browser.find("dialog.confirm input").sendKeys("exporter");
    browser.find("dialog.confirm button.danger").click();
    browser.awaitToast("exporter deleted from reports");
    assertThat(http.get("/api/v1/consumer-groups/exporter").status()).isEqualTo(404);
    assertThat(pop("reports", "r", "exporter")).as("it starts over: the message again").hasSize(1);
  }

  @Test
  void theDarkThemeIsKeptAcrossPages() {
    browser.open("/");
    browser.script("localStorage.removeItem('queen.dashboard.theme')");
    browser.open("/");
    var before = browser.script("return document.documentElement.dataset.theme");
    browser.find("#theme").click();
    var after = browser.script("return document.documentElement.dataset.theme");
    assertThat(after).isNotEqualTo(before);
    browser.open("/queues/orders").awaitText("customer-1");
    assertThat(browser.script("return document.documentElement.dataset.theme")).isEqualTo(after);
    if ("dark".equals(after)) {
      browser.screenshot("queue-dark");
    }
    browser.script("localStorage.removeItem('queen.dashboard.theme')");
  }

  @Test
  void anUnknownDashboardPathSaysSoAndAnUnknownQueueIsNotFound() {
    browser.open("/no/such/page").awaitText("No dashboard page lives at");
    browser.open("/queues/never-created").awaitText("Queue not found");
    // the 404 of the missing queue is the page's answer, and the only failure it may show
    assertThat(browser.failedRequests()).singleElement().asString()
        .contains("/api/v1/status/queues/never-created").endsWith(" 404");
    assertThat(browser.consoleErrors()).singleElement().asString()
        .contains("/api/v1/status/queues/never-created").contains("404");
    browser.script("performance.clearResourceTimings()");
  }

  // --- HTTP helpers: what a client sees ---

  private List<JsonObject> pop(String queue, String partition, String group) {
    var r = http.get("/api/v1/pop/queue/" + queue + "/partition/" + partition + "?consumerGroup="
        + group + "&batch=10&wait=false");
    var out = new ArrayList<JsonObject>();
    if (r.status() == 200) {
      r.object().getAsJsonArray("messages").forEach(m -> out.add(m.getAsJsonObject()));
    }
    return out;
  }

  private int popStatus(String queue, String partition, String group) {
    return http.get("/api/v1/pop/queue/" + queue + "/partition/" + partition + "?consumerGroup="
        + group + "&batch=10&wait=false").status();
  }

  private void ack(JsonObject m, String group, String status, String error) {
    ok(http.post("/api/v1/ack", "{\"transactionId\":\"" + str(m, "transactionId")
        + "\",\"partitionId\":\"" + str(m, "partitionId") + "\",\"leaseId\":\"" + str(m, "leaseId")
        + "\",\"consumerGroup\":\"" + group + "\",\"status\":\"" + status + "\""
        + (error == null ? "" : ",\"error\":\"" + error + "\"") + "}"));
  }

  private static String str(JsonObject o, String field) {
    return o.get(field).getAsString();
  }

  private static void ok(ServerHarness.Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isBetween(200, 299);
  }
}
