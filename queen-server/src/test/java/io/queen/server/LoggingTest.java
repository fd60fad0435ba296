package io.queen.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
}
