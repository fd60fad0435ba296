package io.queen.bench.jmh;

import io.queen.ConnectionSettings;
import io.queen.Queen;
import io.queen.QueenConfig;
import io.queen.QueueManager;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throw-away PostgreSQL database for one benchmark trial: created with {@code CREATE DATABASE}
 * through the admin URL ({@code -Dqueen.bench.pgurl}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}), dropped at tear-down.
 */
final class BenchDatabase implements AutoCloseable {
  static final String ADMIN_URL = System.getProperty("queen.bench.pgurl",
      "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

  final String name;
  final String url;
  final QueueManager queen;

  BenchDatabase(int poolSize) throws SQLException {
    this(poolSize, QueenConfig.defaults());
  }

  BenchDatabase(int poolSize, QueenConfig config) throws SQLException {
    name = "queen_jmh_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    try (var c = DriverManager.getConnection(ADMIN_URL); var s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    int q = ADMIN_URL.indexOf('?');
    String base = q < 0 ? ADMIN_URL : ADMIN_URL.substring(0, q);
    String params = q < 0 ? "" : ADMIN_URL.substring(q);
    url = base.substring(0, base.lastIndexOf('/') + 1) + name + params;
    queen = Queen.connect(new ConnectionSettings(url, null, null, poolSize), config);
  }

  @Override
  public void close() throws SQLException {
    queen.close();
    try (var c = DriverManager.getConnection(ADMIN_URL); var s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
}
