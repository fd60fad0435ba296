package io.queen.server.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver, for the dashboard's tests: open a page
 * and wait until it has rendered its data, read what the console and the network reported, take
 * screenshots. Nothing is downloaded: the browser and the driver must be installed
 * ({@code apt-get install chromium chromium-driver}; {@code .ci/run} does it). One test thread.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("queen.chromium", "/usr/bin/chromium");
  static final String DRIVER = System.getProperty("queen.chromedriver", "/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final String base;
  private final Path screenshots;
  private int width = 1400;

  Browser(String base, Path screenshots) {
    if (!new File(CHROMIUM).canExecute() || !new File(DRIVER).canExecute()) {
      throw new IllegalStateException("the dashboard's browser tests need Chromium and its driver: "
          + CHROMIUM + " or " + DRIVER + " is missing (apt-get install chromium chromium-driver; "
          + "or -Dqueen.chromium= and -Dqueen.chromedriver= for other paths)");
    }
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    // the flags this machine's closed network needs (else Chromium keeps calling out and failing)
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--force-device-scale-factor=1", "--lang=en-GB");
    var logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    var service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER))
        .usingAnyFreePort()
        .build();
    this.driver = new ChromeDriver(service, options);
    this.base = base;
    this.screenshots = screenshots;
  }

  WebDriver driver() {
    return driver;
  }

  /** Loads {@code path} afresh and waits until the page has rendered its first data. */
  Browser open(String path) {
    driver.get(base + path);
    return awaitReady();
  }

  /** Waits until the router says the page is rendered ({@code main[aria-busy=false]}). */
  Browser awaitReady() {
    await(d -> "false".equals(d.findElement(By.id("view")).getAttribute("aria-busy")));
    return this;
  }

  /** Waits until the page's main area shows {@code text}. */
  Browser awaitText(String text) {
    try {
      await(d -> d.findElement(By.id("view")).getText().contains(text));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the page " + driver.getCurrentUrl() + " never showed '" + text
          + "'; it shows:\n" + driver.findElement(By.id("view")).getText(), e);
    }
    return this;
  }

  /** Waits until a status message (a toast) shows {@code text}, and returns all they say. */
  String awaitToast(String text) {
    try {
      return await(d -> {
        var t = d.findElement(By.id("toasts")).getText();
        return t.contains(text) ? t : null;
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("no status message said '" + text + "'; they say: "
          + driver.findElement(By.id("toasts")).getText() + "; the page shows:\n"
          + driver.findElement(By.id("view")).getText(), e);
    }
  }

  <T> T await(java.util.function.Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition::apply);
  }

  WebElement find(String css) {
    return await(d -> {
      var found = d.findElements(By.cssSelector(css));
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The button (or link) whose visible text is {@code text}, once it is there. */
  WebElement button(String text) {
    return await(d -> d.findElements(By.xpath("//*[self::button or self::a][normalize-space(.)='"
        + text + "']")).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
  }

  boolean hasButton(String text) {
    return driver.findElements(By.xpath("//*[self::button or self::a][normalize-space(.)='" + text
        + "']")).stream().anyMatch(WebElement::isDisplayed);
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /**
   * Form controls, buttons and links a screen reader could not name: no label, no aria-label, no
   * text. Each is described by its tag and a little of its markup.
   */
  @SuppressWarnings("unchecked")
  List<String> unlabelled() {
    return (List<String>) script("const out = [];"
        + "for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {"
        + "  if (el.type === 'hidden' || el.closest('[hidden]')) continue;"
        + "  const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')"
        + "    || el.getAttribute('aria-labelledby') || el.textContent.trim() || el.title"
        + "    || (el.querySelector('img[alt]') && el.querySelector('img[alt]').alt);"
        + "  if (!named) out.push(el.outerHTML.slice(0, 120));"
        + "} return out;");
  }

  /** Console errors since the last call (Chromium logs failed requests there too). */
  List<String> consoleErrors() {
    var out = new ArrayList<String>();
    for (var entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        out.add(entry.getMessage());
      }
    }
    return out;
  }

  /** Requests of this document load (assets and API calls) that failed or answered 4xx/5xx. */
  @SuppressWarnings("unchecked")
  List<String> failedRequests() {
    return (List<String>) script("return performance.getEntriesByType('resource')"
        + ".filter(e => e.responseStatus >= 400).map(e => e.name + ' ' + e.responseStatus)");
  }

  /** A screenshot of the whole page under {@code <dir>/<name>.png}. */
  Path screenshot(String name) {
    long height = (Long) script("return Math.ceil(Math.max(document.documentElement.scrollHeight,"
        + " document.body.scrollHeight))");
    var before = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(width, (int) Math.min(4000, Math.max(700, height))));
    try {
      Files.createDirectories(screenshots);
      var file = screenshots.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  /** Sets the window's width (a laptop's 1280, a wide screen's 1400). */
  void width(int pixels) {
    this.width = pixels;
    driver.manage().window().setSize(new Dimension(pixels, 1000));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
