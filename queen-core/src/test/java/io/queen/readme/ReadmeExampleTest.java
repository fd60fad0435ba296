package io.queen.readme;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's "embed it" example honest: the code between the markers below is the code the
 * README shows, this test runs it, and it checks the README still shows exactly that code.
 */
class ReadmeExampleTest {

  static List<String> example(String jdbcUrl) throws Exception {
    var printed = new ArrayList<String>();
    // README:begin
    try (QueueManager queen = Queen.connect(
        new ConnectionSettings(jdbcUrl, "postgres", null, 5), QueenConfig.defaults())) {
      queen.pushSync(PushItem.of("orders", "{\"orderId\": 42}").withPartition("customer-7"));

      PopResult batch = queen.popSync(PopRequest.fromQueue("orders").batch(10).build());
      for (Message m : batch.messages()) {
        printed.add(m.payloadJson());
        queen.ackSync(AckItem.completed(m));
      }

      try (QueenConsumer consumer = QueenConsumer.builder(queen, "orders")
          .consumerGroup("billing").concurrency(2).batch(10)
          .handler(m -> printed.add("billing got " + m.payloadJson()))
          .start()) {
        // ... the application runs; close() stops the consumer
      }
    }
    // README:end
    return printed;
  }

  @Test
  void the_readme_example_runs_and_delivers_the_message() throws Exception {
    try (var db = TestDatabase.create()) {
      assertThat(example(db.url())).startsWith("{\"orderId\": 42}");
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
