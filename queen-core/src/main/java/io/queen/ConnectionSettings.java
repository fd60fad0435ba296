package io.queen;

import java.time.Duration;
import java.util.Objects;

/**
 * Where PostgreSQL is, for {@link Queen#connect}: Queen then owns a connection pool of
 * {@code poolSize} connections plus one for LISTEN.
 *
 * @param jdbcUrl for example {@code jdbc:postgresql://127.0.0.1:5432/app}
 * @param user the user, or null to take it from the URL
 * @param password the password, or null
 * @param poolSize connections in the pool, 1 to 1000 and at least {@link QueenConfig#dbThreads()}
 * @param connectionTimeout how long an operation waits for a pooled connection (and so how fast a
 *     health check reports an unreachable database), at least 250 ms;
 *     {@link #DEFAULT_CONNECTION_TIMEOUT} by default
 */
public record ConnectionSettings(
    String jdbcUrl, String user, String password, int poolSize, Duration connectionTimeout) {

  /** The connection timeout when none is given: 5 seconds. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Settings with the default connection timeout ({@link #DEFAULT_CONNECTION_TIMEOUT}).
   *
   * @param jdbcUrl for example {@code jdbc:postgresql://127.0.0.1:5432/app}
   * @param user the user, or null to take it from the URL
   * @param password the password, or null
   * @param poolSize connections in the pool, 1 to 1000 and at least {@link QueenConfig#dbThreads()}
   * @throws IllegalArgumentException as the canonical constructor
   */
  public ConnectionSettings(String jdbcUrl, String user, String password, int poolSize) {
    this(jdbcUrl, user, password, poolSize, DEFAULT_CONNECTION_TIMEOUT);
  }

  /**
   * Checks the settings.
   *
   * @param jdbcUrl must start with {@code jdbc:postgresql:}
   * @param user the user, or null to take it from the URL
   * @param password the password, or null
   * @param poolSize 1 to 1000 ({@link Queen#connect} also wants at least
   *     {@link QueenConfig#dbThreads()})
   * @param connectionTimeout at least 250 ms (HikariCP's floor)
   * @throws NullPointerException when {@code jdbcUrl} or {@code connectionTimeout} is null
   * @throws IllegalArgumentException when a value is out of those bounds
   */
  public ConnectionSettings {
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    // HikariCP's own floor is 250 ms.
    if (connectionTimeout.toMillis() < 250) {
      throw new IllegalArgumentException(
          "connectionTimeout must be at least 250 ms, was " + connectionTimeout.toMillis() + " ms");
    }
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "jdbcUrl must start with jdbc:postgresql:, was '" + jdbcUrl + "'");
    }
    if (poolSize < 1 || poolSize > 1000) {
      throw new IllegalArgumentException("poolSize must be between 1 and 1000, was " + poolSize);
    }
  }

  /**
   * Hides the password.
   *
   * @return the settings with the password shown as {@code ****} (or {@code null} when none)
   */
  @Override
  public String toString() {
    return "ConnectionSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password="
        + (password == null ? "null" : "****") + ", poolSize=" + poolSize + ", connectionTimeout="
        + connectionTimeout + "]";
  }
}
