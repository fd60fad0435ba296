package io.queen;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.queen.error.DatabaseUnavailableException;
import io.queen.internal.engine.QueenEngine;
import java.sql.DriverManager;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Entry point: creates a {@link QueueManager} on a PostgreSQL database. Creating one applies
 * Queen's schema migrations (safe when several instances start at once) and starts its threads;
 * {@link QueueManager#close()} stops them.
 *
 * <pre>{@code
 * try (QueueManager queen = Queen.connect(
 *     new ConnectionSettings("jdbc:postgresql://127.0.0.1:5432/app", "app", "secret", 5),
 *     QueenConfig.defaults())) {
 *   queen.pushSync(PushItem.of("orders", "{\"id\": 1}"));
 * }
 * }</pre>
 */
public final class Queen {
  private Queen() {}

  /**
   * A manager on an application's own {@code DataSource}. Queen borrows at most
   * {@link QueenConfig#dbThreads()} connections for its work, and (with
   * {@link QueenConfig#listenNotify()}) keeps one more borrowed for LISTEN for its whole life, so
   * size the pool for both. The data source is not closed by {@link QueueManager#close()}.
   *
   * <p>Runs on the calling thread: it migrates the schema before it returns.
   *
   * @param dataSource the application's pool on the PostgreSQL database Queen's schema lives in;
   *     not null
   * @param config the engine's configuration; not null
   * @return a started manager, ready for work; the caller closes it
   * @throws NullPointerException when {@code dataSource} or {@code config} is null
   * @throws io.queen.error.QueenException when the database cannot be reached or migrated
   */
  public static QueueManager create(DataSource dataSource, QueenConfig config) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(config, "config");
    return QueenEngine.start(dataSource, config, dataSource::getConnection, null);
  }

  /**
   * A manager that owns its connection pool ({@code settings.poolSize()} connections, HikariCP)
   * and its LISTEN connection; both are closed by {@link QueueManager#close()}.
   *
   * <p>Runs on the calling thread: it opens the pool and migrates the schema before it returns;
   * when that fails, the pool is closed again.
   *
   * @param settings where PostgreSQL is and how large the pool is; not null
   * @param config the engine's configuration; not null
   * @return a started manager that owns its pool; the caller closes it
   * @throws NullPointerException when {@code settings} or {@code config} is null
   * @throws IllegalArgumentException when the pool is smaller than {@code config.dbThreads()}
   * @throws DatabaseUnavailableException when the database cannot be reached (only without a
   *     file buffer: with one, the manager starts, buffers pushes, and migrates the schema when
   *     the database answers)
   * @throws io.queen.error.QueenException when the schema cannot be migrated
   */
  public static QueueManager connect(ConnectionSettings settings, QueenConfig config) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(config, "config");
    if (settings.poolSize() < config.dbThreads()) {
      throw new IllegalArgumentException("poolSize (" + settings.poolSize()
          + ") must be at least dbThreads (" + config.dbThreads() + ")");
    }
    var hikari = new HikariConfig();
    hikari.setPoolName("queen-pool");
    hikari.setJdbcUrl(settings.jdbcUrl());
    hikari.setUsername(settings.user());
    hikari.setPassword(settings.password());
    hikari.setMaximumPoolSize(settings.poolSize());
    hikari.setConnectionTimeout(settings.connectionTimeout().toMillis());
    hikari.addDataSourceProperty("ApplicationName", "queen");
    hikari.addDataSourceProperty("tcpKeepAlive", "true");
    hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    if (config.fileBuffer() != null) {
      // with a file buffer the engine starts without the database and takes pushes into it
      hikari.setInitializationFailTimeout(-1);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (HikariPool.PoolInitializationException e) {
      throw new DatabaseUnavailableException("cannot connect to " + settings.jdbcUrl() + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
    try {
      return QueenEngine.start(pool, config,
          () -> DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password()),
          pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }
}
