package io.queen.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Not a test (its name keeps it out of {@code mvn verify}): the benchmark behind the dashboard's
 * "interactive within 1 s at 10,000 partitions and 5 million messages", run against a server that
 * holds them ({@code queen-bench/dashboard-scale.sh} fills one and runs this with
 * {@code -Dtest=DashboardScaleCheck -Dqueen.dashboard.url=http://127.0.0.1:6632
 * -Dqueen.dashboard.queue=scale-0 -Dqueen.dashboard.group=audit0}). For each page it prints the
 * time from navigation to the page showing its data (the app's {@code queen:ready} mark), the
 * median of five loads, and the time a sort of the partitions takes to show.
 */
class DashboardScaleCheck {
  @Test
  void everyPageShowsItsDataWithinASecond() throws Exception {
    var url = System.getProperty("queen.dashboard.url");
    org.junit.jupiter.api.Assumptions.assumeTrue(url != null,
        "-Dqueen.dashboard.url names the server to measure");
    var queue = System.getProperty("queen.dashboard.queue", "scale-0");
    var group = System.getProperty("queen.dashboard.group", "audit0");
    var message = firstMessage(url, queue);
    var pages = List.of("/", "/queues", "/queues/" + queue, "/groups", "/groups/" + group,
        "/messages", "/messages?queue=" + queue, "/messages/" + message, "/dlq", "/traces",
        "/system");
    var rows = new ArrayList<String>();
    double worst = 0;
    try (var browser = new Browser(url, Path.of(System.getProperty("queen.screenshots", "target/dashboard-scale")))) {
      for (var page : pages) {
        var times = new double[5];
        for (int i = 0; i < times.length; i++) {
          browser.open(page);
          times[i] = ((Number) browser.script("const m = performance.getEntriesByName('queen:ready');"
              + " return m.length ? m[m.length - 1].startTime : -1")).doubleValue();
          assertThat(browser.consoleErrors()).as(page).isEmpty();
        }
        java.util.Arrays.sort(times);
        worst = Math.max(worst, times[2]);
        rows.add(String.format(Locale.ROOT, "| `%s` | %.0f | %.0f |", page, times[2], times[4]));
      }
      browser.open("/").awaitText("Messages stored");
      browser.screenshot("overview-at-scale");
      browser.open("/queues/" + queue).awaitText("p1");
      browser.screenshot("queue-at-scale");
      // an interaction: sorting 10,000 partitions the other way round, answered by the server
      browser.open("/queues/" + queue);
      var firstRow = browser.find(".table-wrap tbody tr").getText();
      long start = System.nanoTime();
      browser.driver().findElement(By.xpath("//button[starts-with(normalize-space(.),'Partition')]"))
          .click();
      new WebDriverWait(browser.driver(), Duration.ofSeconds(10), Duration.ofMillis(5))
          .until(d -> !d.findElement(By.cssSelector(".table-wrap tbody tr")).getText().equals(firstRow));
      double sortMs = (System.nanoTime() - start) / 1e6;
      rows.add(String.format(Locale.ROOT, "| sort the partitions of `%s` by name, descending (click to new rows) | %.0f | |",
          queue, sortMs));
      worst = Math.max(worst, sortMs);
    }
    System.out.println("| page | median ms | slowest of 5 ms |\n|---|---:|---:|");
    rows.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "worst median: %.0f ms%n", worst);
  }

  private static String firstMessage(String url, String queue) throws Exception {
    var body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(url + "/api/v1/messages?limit=1&queue=" + queue)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    var m = com.google.gson.JsonParser.parseString(body).getAsJsonObject()
        .getAsJsonArray("messages").get(0).getAsJsonObject();
    return m.get("partitionId").getAsString() + "/" + m.get("transactionId").getAsString();
  }
}
