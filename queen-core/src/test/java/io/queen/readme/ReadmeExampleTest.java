package io.queen.readme;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.queen.ConnectionSettings;
import io.queen.Queen;
import io.queen.QueenConfig;
import io.queen.QueueManager;
import io.queen.consumer.QueenConsumer;
import io.queen.model.AckItem;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.PushItem;
import io.queen.testing.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's "embed it" example honest: the code between the markers below is the code the
 * README shows, this test runs it, and it checks the README still shows exactly that code.
 */
class ReadmeExampleTest {

  /** The README's example, printing to {@code out} (the README prints to {@code System.out}). */
  static void example(String jdbcUrl, PrintStream out) throws Exception {
    // README:begin
    try (QueueManager queen = Queen.connect(
        new ConnectionSettings(jdbcUrl, "postgres", null, 5), QueenConfig.defaults())) {
      queen.pushSync(PushItem.of("orders", "{\"orderId\": 42}").withPartition("customer-7"));

      PopResult batch = queen.popSync(PopRequest.fromQueue("orders").batch(10).build());
      for (Message m : batch.messages()) {
        out.println("popped " + m.payloadJson());
        queen.ackSync(AckItem.completed(m));
      }

      // a consumer group reads the queue on its own; its handler runs on consumer threads
      CountDownLatch billed = new CountDownLatch(1);
      try (QueenConsumer consumer = QueenConsumer.builder(queen, "orders")
          .consumerGroup("billing").concurrency(2).batch(10)
          .handler(m -> {
            out.println("billing got " + m.payloadJson());
            billed.countDown();
          })
          .start()) {
        billed.await(10, TimeUnit.SECONDS); // the application runs; close() stops the consumer
      }
    }
    // README:end
  }

  @Test
  void the_readme_example_runs_and_both_the_pop_and_the_consumer_group_get_the_message()
      throws Exception {
    var printed = new ByteArrayOutputStream();
    try (var db = TestDatabase.create(); var out = new PrintStream(printed, true, UTF_8)) {
      example(db.url(), out);
    }
    assertThat(printed.toString(UTF_8).lines())
        .containsExactly("popped {\"orderId\": 42}", "billing got {\"orderId\": 42}");
  }

  @Test
  void the_readme_shows_the_imports_the_example_needs() throws Exception {
    var source = Files.readString(Path.of("src/test/java/io/queen/readme/ReadmeExampleTest.java"));
    var readme = Files.readString(Path.of("../README.md"));
    for (var type : List.of("io.queen.ConnectionSettings", "io.queen.Queen", "io.queen.QueenConfig",
        "io.queen.QueueManager", "io.queen.consumer.QueenConsumer", "io.queen.model.AckItem",
        "io.queen.model.Message", "io.queen.model.PopRequest", "io.queen.model.PopResult",
        "io.queen.model.PushItem", "java.util.concurrent.CountDownLatch",
        "java.util.concurrent.TimeUnit")) {
      assertThat(source).contains("import " + type + ";");
      assertThat(readme).contains("import " + type + ";");
    }
  }

  @Test
  void the_readme_shows_exactly_the_example_this_test_runs() throws Exception {
    var source = Files.readString(Path.of("src/test/java/io/queen/readme/ReadmeExampleTest.java"));
    var start = source.indexOf("// README:begin\n") + "// README:begin\n".length();
    var end = source.indexOf("    // README:end");
    var snippet = source.substring(start, end).stripTrailing().stripIndent().strip();
    var readme = Files.readString(Path.of("../README.md"));
    assertThat(readme).contains(snippet);
  }
}
