package io.queen.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.queen.testing.TcpProxy;
import io.queen.testing.TestDatabase;
import io.queen.server.testing.ServerHarness;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The file buffer against real faults: the server runs as its own process, PostgreSQL is reached
 * through a proxy the test cuts, and the server is killed with SIGKILL. Producers push one item at
 * a time to their own partition and push again whatever was not answered {@code queued} or
 * {@code buffered} (as a client does); afterwards every partition holds each producer's items once,
 * in the order they were pushed.
 */
class BufferFaultTest {
  private static final int PRODUCERS = 4;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private TestDatabase database;
  private TcpProxy proxy;
  private Process server;
  private int port;
  private Path bufferDir;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void setUp() throws IOException {
    database = TestDatabase.create();
    proxy = new TcpProxy("127.0.0.1", 5432);
    bufferDir = database.scratch().resolve("buffer");
    try (var s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.destroyForcibly();
    }
    proxy.close();
    database.close();
  }

  private void startServer() throws Exception {
    var env = ServerHarness.environmentFor(database);
    env.put("PORT", String.valueOf(port));
    env.put("PG_PORT", String.valueOf(proxy.port()));
    env.put("FILE_BUFFER_DIR", bufferDir.toString());
    env.put("LOG_LEVEL", "warn");
    var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.queen.server.QueenServer");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(database.scratch().resolve("server-" + System.nanoTime() + ".log").toFile());
    server = pb.start();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        if (get("/health").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      if (!server.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("server did not start (exit " + (server.isAlive() ? "-" : server.exitValue()) + ")");
      }
      Thread.sleep(100); // a separate process: nothing to be told by
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** One producer: items 0..; returns how far it got when told to stop (all answered). */
  private final class Producer extends Thread {
    final int id;
    final AtomicBoolean stop;
    final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    volatile int next;

    Producer(int id, AtomicBoolean stop) {
      this.id = id;
      this.stop = stop;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!stop.get()) {
        var body = "{\"items\":[{\"queue\":\"faults\",\"partition\":\"p" + id
            + "\",\"transactionId\":\"p" + id + "-" + next + "\",\"payload\":{\"n\":" + next + "}}]}";
        try {
          var r = post("/api/v1/push", body);
          if (r.statusCode() == 201) {
            var status = JsonParser.parseString(r.body()).getAsJsonArray().get(0)
                .getAsJsonObject().get("status").getAsString();
            statuses.merge(status, 1, Integer::sum);
            if (status.equals("queued") || status.equals("buffered") || status.equals("duplicate")) {
              next++;
            }
          }
        } catch (IOException | RuntimeException e) {
          // not answered: push the same item again
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private List<Producer> produce(AtomicBoolean stop) {
    var producers = new ArrayList<Producer>();
    for (int i = 0; i < PRODUCERS; i++) {
      var p = new Producer(i, stop);
      producers.add(p);
      p.start();
    }
    return producers;
  }

  private static void finish(AtomicBoolean stop, List<Producer> producers) throws InterruptedException {
    stop.set(true);
    for (var p : producers) {
      p.join(30_000);
      assertThat(p.isAlive()).isFalse();
    }
  }

  private void awaitDrained() throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      var r = get("/api/v1/status/buffers");
      if (r.statusCode() == 200
          && JsonParser.parseString(r.body()).getAsJsonObject().get("pending").getAsLong() == 0) {
        return;
      }
      assertThat(System.nanoTime()).as("buffer drained in time: " + r.body()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /**
   * Every producer's items 0..next-1 once each, in order, in its partition; with
   * {@code unansweredLast}, also its next item when that one was buffered but the answer was lost.
   */
  private void assertStoredOnceInOrder(List<Producer> producers, boolean unansweredLast)
      throws Exception {
    try (var c = database.connect()) {
      for (var p : producers) {
        var stored = new ArrayList<String>();
        try (var ps = c.prepareStatement("SELECT m.transaction_id FROM queen.messages m"
            + " JOIN queen.partitions pa ON pa.id = m.partition_id WHERE pa.name = ?"
            + " ORDER BY m.seq")) {
          ps.setString(1, "p" + p.id);
          try (var rs = ps.executeQuery()) {
            while (rs.next()) {
              stored.add(rs.getString(1));
            }
          }
        }
        var expected = new ArrayList<String>();
        for (int n = 0; n < p.next; n++) {
          expected.add("p" + p.id + "-" + n);
        }
        if (unansweredLast && stored.size() == expected.size() + 1) {
          expected.add("p" + p.id + "-" + p.next);
        }
        assertThat(stored).as("partition p%s (%s)", p.id, p.statuses).isEqualTo(expected);
      }
    }
  }

  @Test
  void a_database_cut_under_load_loses_nothing_and_duplicates_nothing() throws Exception {
    startServer();
    var stop = new AtomicBoolean();
    var producers = produce(stop);
    awaitPushes(producers, 50);
    proxy.cut();
    awaitPushes(producers, 150); // answered buffered while the database is away
    proxy.restore();
    awaitPushes(producers, 250);
    finish(stop, producers);
    awaitDrained();

    assertStoredOnceInOrder(producers, false);
    assertThat(producers.stream().mapToInt(p -> p.statuses.getOrDefault("buffered", 0)).sum())
        .isPositive();
  }

  @Test
  void a_server_killed_while_buffering_replays_everything_it_answered_after_a_restart()
      throws Exception {
    startServer();
    assertThat(post("/api/v1/system/maintenance", "{\"enabled\":true}").statusCode()).isEqualTo(200);
    var stop = new AtomicBoolean();
    var producers = produce(stop);
    awaitPushes(producers, 100);
    server.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no flush
    finish(stop, producers); // their last push may be unanswered: not counted
    assertThat(producers.stream().mapToInt(p -> p.statuses.getOrDefault("buffered", 0)).sum())
        .isGreaterThanOrEqualTo(100);

    startServer();
    assertThat(post("/api/v1/system/maintenance", "{\"enabled\":false}").statusCode()).isEqualTo(200);
    awaitDrained();
    assertStoredOnceInOrder(producers, true);
  }

  private static void awaitPushes(List<Producer> producers, int total) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (producers.stream().mapToInt(p -> p.next).sum() < total) {
      assertThat(System.nanoTime()).as("%s pushes answered in time", total).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
