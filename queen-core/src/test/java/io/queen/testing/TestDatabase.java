package io.queen.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A uniquely named scratch database on the test PostgreSQL server, dropped by {@link #close()}.
 *
 * <p>The server comes from {@code QUEEN_TEST_PG_URL} (a JDBC URL of any database on it, for example
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}); without it, the local server
 * at 127.0.0.1:5432 as user {@code postgres}.
 */
public final class TestDatabase implements AutoCloseable {
  public static final String ENV = "QUEEN_TEST_PG_URL";
  private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
  private static final Pattern DB_IN_URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");

  private final String adminUrl;
  private final String name;
  private final String url;
  private java.nio.file.Path scratch;

  private TestDatabase(String adminUrl, String name, String url) {
    this.adminUrl = adminUrl;
    this.name = name;
    this.url = url;
  }

  /** Creates a fresh empty database. */
  public static TestDatabase create() {
    var base = System.getenv(ENV);
    if (base == null || base.isBlank()) {
      base = DEFAULT_URL;
    }
    var m = DB_IN_URL.matcher(base);
    if (!m.matches()) {
      throw new IllegalStateException(ENV + " must look like jdbc:postgresql://host:port/db?..., was " + base);
    }
    var name = "queen_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
        .toLowerCase(Locale.ROOT);
    try (var c = DriverManager.getConnection(base); var s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database on " + base
          + " (is PostgreSQL running? set " + ENV + "): " + e.getMessage(), e);
    }
    return new TestDatabase(base, name, m.group(1) + name + m.group(3));
  }

  /** JDBC URL of the scratch database (credentials included as in the base URL). */
  public String url() {
    return url;
  }

  public String name() {
    return name;
  }

  /** A connection pool on the scratch database (the caller closes it before {@link #close()}). */
  public com.zaxxer.hikari.HikariDataSource pool(int size) {
    var config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    return new com.zaxxer.hikari.HikariDataSource(config);
  }

  /** A directory of this test's own (file buffers), removed by {@link #close()}. */
  public synchronized java.nio.file.Path scratch() {
    if (scratch == null) {
      try {
        scratch = java.nio.file.Files.createTempDirectory(name + "-");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return scratch;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Override
  public void close() {
    deleteScratch();
    try (var c = DriverManager.getConnection(adminUrl); var s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + name, e);
    }
  }

  private synchronized void deleteScratch() {
    if (scratch == null) {
      return;
    }
    try (var files = java.nio.file.Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a leftover temporary directory is not worth failing a test for
    }
  }
}
