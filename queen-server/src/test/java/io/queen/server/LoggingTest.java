package io.queen.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import io.queen.server.testing.ServerHarness;
import io.queen.server.worker.IoThreadWorkers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The server's logging as LOG_FORMAT and LOG_LEVEL set it up (logback, to standard output). */
class LoggingTest {
  private final PrintStream stdout = System.out;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private String logWith(Map<String, String> env) {
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    QueenServer.configureLogging(ServerConfig.fromEnvironment(env));
    LoggerFactory.getLogger("io.queen.probe.Chatty").debug("hello {}", "there",
        new IllegalStateException("boom"));
    LoggerFactory.getLogger("io.queen.other").debug("not at debug");
    LoggerFactory.getLogger("io.queen.other").info("at info");
    System.out.flush();
    return captured.toString(StandardCharsets.UTF_8);
  }

  @AfterEach
  void restoreTheTestsLogging() throws Exception {
    System.setOut(stdout);
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void json_writes_one_object_per_line_with_level_logger_formatted_message_and_stack_trace() {
    var out = logWith(Map.of("LOG_FORMAT", "json", "LOG_LEVEL", "info,io.queen.probe=debug"));

    var lines = out.lines().toList();
    assertThat(lines).hasSize(2);
    var first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertThat(first.get("level").getAsString()).isEqualTo("DEBUG");
    assertThat(first.get("loggerName").getAsString()).isEqualTo("io.queen.probe.Chatty");
    assertThat(first.get("formattedMessage").getAsString()).isEqualTo("hello there");
    assertThat(first.getAsJsonObject("throwable").get("message").getAsString()).isEqualTo("boom");
    var second = JsonParser.parseString(lines.get(1)).getAsJsonObject();
    assertThat(second.get("formattedMessage").getAsString()).isEqualTo("at info");
  }

  @Test
  void plain_writes_a_line_per_event_with_the_stack_trace_below_it() {
    var out = logWith(Map.of("LOG_LEVEL", "info,io.queen.probe=debug"));

    assertThat(out).contains("DEBUG io.queen.probe.Chatty - hello there")
        .contains("java.lang.IllegalStateException: boom")
        .contains("INFO  io.queen.other - at info").doesNotContain("not at debug");
  }

  private String requestsLoggedWith(Map<String, String> env) {
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    QueenServer.configureLogging(ServerConfig.fromEnvironment(env));
    try (var h = ServerHarness.start()) {
      assertThat(h.get("/health").status()).isEqualTo(200);
      assertThat(h.post("/api/v1/push", "{\"items\":[{\"queue\":\"logged\",\"payload\":1}]}")
          .status()).isEqualTo(201);
      assertThat(h.get("/api/v1/pop/queue/logged?wait=false&batch=5").status()).isEqualTo(200);
    }
    System.out.flush();
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void requests_are_not_logged_by_default() {
    var out = requestsLoggedWith(Map.of());
    assertThat(out).doesNotContain(IoThreadWorkers.ACCESS_LOGGER).doesNotContain("GET /health");
  }

  @Test
  void log_requests_writes_one_line_per_answered_request_with_status_items_and_duration() {
    var out = requestsLoggedWith(Map.of("LOG_REQUESTS", "true"));
    var lines = out.lines().filter(l -> l.contains(IoThreadWorkers.ACCESS_LOGGER)).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches(".* INFO  io\\.queen\\.server\\.access - GET /health 200 \\S+ items=0 \\d+us");
    assertThat(lines.get(1)).matches(".* - POST /api/v1/push 201 push items=1 \\d+us");
    assertThat(lines.get(2))
        .matches(".* - GET /api/v1/pop/queue/logged\\?wait=false&batch=5 200 pop items=1 \\d+us");
  }

  @Test
  void an_open_api_on_a_non_loopback_address_is_warned_about_at_start() {
    var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(QueenServer.class);
    logger.addAppender(appender);
    try {
      try (var open = ServerHarness.start(env -> {
        env.put("HOST", "0.0.0.0");
        return env;
      })) {
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
            .startsWith("authentication is OFF and the server listens on 0.0.0.0"));
      }
      appender.list.clear();
      try (var loopback = ServerHarness.start();
          var authenticated = ServerHarness.start(env -> {
            env.put("HOST", "0.0.0.0");
            env.put("JWT_ENABLED", "true");
            env.put("JWT_SECRET", "x".repeat(32));
            return env;
          })) {
        // the same appender caught the warning above: its absence here is the servers' doing
        assertThat(appender.list).noneSatisfy(e -> assertThat(e.getFormattedMessage())
            .contains("authentication is OFF"));
      }
    } finally {
      logger.detachAppender(appender);
    }
  }
}
