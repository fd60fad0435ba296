package io.queen.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.model.SubscriptionMode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void defaults_suit_a_small_machine_and_use_the_embedded_database() {
    var c = ServerConfig.defaults();
    assertThat(c.port()).isEqualTo(6632);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.numWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.embeddedDatabase()).isTrue();
    assertThat(c.dbPoolSize()).isEqualTo(4);
    assertThat(c.defaultTimeoutMs()).isEqualTo(30_000);
    assertThat(c.defaultBatchSize()).isEqualTo(1);
    assertThat(c.defaultSubscriptionMode()).isEqualTo(SubscriptionMode.ALL);
    assertThat(c.maxBodyBytes()).isEqualTo(64 * 1024 * 1024);
    assertThat(c.dataDir()).isEqualTo(Path.of("./queen-data"));
  }

  @Test
  void variables_named_as_in_the_original_are_read() {
    var env = new java.util.HashMap<String, String>();
    String[] pairs = {"PORT", "7000", "HOST", "127.0.0.1", "NUM_WORKERS", "3", "PG_HOST", "db",
        "PG_DB", "q", "PG_USER", "u", "PG_PASSWORD", "secret", "DB_POOL_SIZE", "8",
        "DEFAULT_TIMEOUT", "5000", "DEFAULT_BATCH_SIZE", "10", "DEFAULT_SUBSCRIPTION_MODE", "new",
        "RESPONSE_TIMER_INTERVAL_MS", "25", "LOG_LEVEL", "DEBUG"};
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    var c = ServerConfig.fromEnvironment(env);
    assertThat(c.port()).isEqualTo(7000);
    assertThat(c.numWorkers()).isEqualTo(3);
    assertThat(c.embeddedDatabase()).isFalse();
    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/q");
    assertThat(c.dbPoolSize()).isEqualTo(8);
    assertThat(c.defaultSubscriptionMode()).isEqualTo(SubscriptionMode.NEW);
    assertThat(c.responseTimerIntervalMs()).isEqualTo(25);
    assertThat(ServerConfig.logLevels(c.logLevel())).containsEntry("", "debug");
    assertThat(c.toString()).doesNotContain("secret").contains("PG_PASSWORD=****");
  }

  @Test
  void invalid_values_are_refused_with_a_message_naming_every_bad_variable() {
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("PORT", "http", "NUM_WORKERS", "two",
        "DEFAULT_SUBSCRIPTION_MODE", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PORT must be an integer, was 'http'")
        .hasMessageContaining("NUM_WORKERS must be an integer, was 'two'")
        .hasMessageContaining("DEFAULT_SUBSCRIPTION_MODE must be one of all, from_beginning, new, new-only");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("PORT", "70000")))
        .hasMessageContaining("PORT must be between 0 and 65535, was 70000");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("DB_POOL_SIZE", "0")))
        .hasMessageContaining("DB_POOL_SIZE must be between 1 and 256");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("LOG_LEVEL", "loud")))
        .hasMessageContaining("LOG_LEVEL: the level of the root must be one of");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RESPONSE_TIMER_INTERVAL_MS", "0")))
        .hasMessageContaining("RESPONSE_TIMER_INTERVAL_MS must be between 1 and 60000");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("RETENTION_INTERVAL", "-1",
        "EVICTION_BATCH_SIZE", "0")))
        .hasMessageContaining("RETENTION_INTERVAL must be zero (off) or positive")
        .hasMessageContaining("EVICTION_BATCH_SIZE must be between 1 and 100000, was 0");
  }

  @Test
  void the_dashboard_is_on_by_default_and_a_bad_dashboard_enabled_is_refused_naming_it() {
    assertThat(ServerConfig.defaults().dashboardEnabled()).isTrue();
    assertThat(ServerConfig.defaults().describe()).containsEntry("DASHBOARD_ENABLED", true);
    for (var off : new String[] {"false", "0", "FALSE"}) {
      assertThat(ServerConfig.fromEnvironment(Map.of("DASHBOARD_ENABLED", off)).dashboardEnabled())
          .as(off).isFalse();
    }
    assertThat(ServerConfig.fromEnvironment(Map.of("DASHBOARD_ENABLED", "1")).dashboardEnabled())
        .isTrue();
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("DASHBOARD_ENABLED", "yes",
        "PORT", "http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DASHBOARD_ENABLED must be true or false, was 'yes'")
        .hasMessageContaining("PORT must be an integer, was 'http'");
  }

  @Test
  void the_lifecycle_jobs_are_set_by_the_originals_variables() {
    var c = ServerConfig.fromEnvironment(Map.of("RETENTION_INTERVAL", "2000",
        "RETENTION_BATCH_SIZE", "500", "PARTITION_CLEANUP_DAYS", "7", "METRICS_RETENTION_DAYS", "30",
        "EVICTION_INTERVAL", "0", "EVICTION_BATCH_SIZE", "200"));
    var l = c.lifecycle();
    assertThat(l.retentionInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(l.retentionBatchSize()).isEqualTo(500);
    assertThat(l.partitionCleanupAge()).isEqualTo(java.time.Duration.ofDays(7));
    assertThat(l.historyRetention()).isEqualTo(java.time.Duration.ofDays(30));
    assertThat(l.evictionInterval()).isZero();
    assertThat(l.evictionBatchSize()).isEqualTo(200);
    assertThat(ServerConfig.defaults().lifecycle()).isEqualTo(io.queen.LifecycleSettings.DEFAULTS);
  }

  @Test
  void the_encryption_keys_are_read_checked_and_never_shown() {
    var key = "0123456789abcdef".repeat(4);
    var old = "fedcba9876543210".repeat(4);
    var c = ServerConfig.fromEnvironment(Map.of("QUEEN_ENCRYPTION_KEY", key,
        "QUEEN_ENCRYPTION_KEYS_OLD", old + ", " + key));
    assertThat(c.encryption().current()).isEqualTo(key);
    assertThat(c.encryption().previous()).containsExactly(old, key);
    assertThat(c.toString()).doesNotContain(key).doesNotContain(old)
        .contains("QUEEN_ENCRYPTION_KEY=****").contains("QUEEN_ENCRYPTION_KEYS_OLD=2");
    assertThat(ServerConfig.defaults().encryption()).isNull();

    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("QUEEN_ENCRYPTION_KEY", "abc",
        "QUEEN_ENCRYPTION_KEYS_OLD", key + ",xyz", "PORT", "x")))
        .hasMessageContaining("QUEEN_ENCRYPTION_KEY must be 64 hexadecimal characters (32 bytes), was 3")
        .hasMessageContaining("QUEEN_ENCRYPTION_KEYS_OLD #2 must be 64 hexadecimal characters")
        .hasMessageContaining("PORT must be an integer")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key));
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("QUEEN_ENCRYPTION_KEYS_OLD", old)))
        .hasMessageContaining("QUEEN_ENCRYPTION_KEYS_OLD is set but QUEEN_ENCRYPTION_KEY is not");
  }

  @Test
  void log_level_takes_a_root_level_and_levels_per_logger_and_names_what_is_wrong() {
    assertThat(ServerConfig.logLevels("WARN, io.queen=info,io.queen.internal.jobs=DEBUG"))
        .containsExactly(Map.entry("", "warn"), Map.entry("io.queen", "info"),
            Map.entry("io.queen.internal.jobs", "debug"));
    assertThat(ServerConfig.logLevels("io.queen=debug")).containsEntry("", "info");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("LOG_LEVEL", "loud")))
        .hasMessageContaining("LOG_LEVEL").hasMessageContaining("'loud'");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("LOG_LEVEL", "info,io..x=debug")))
        .hasMessageContaining("'io..x' is not a logger name");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("LOG_FORMAT", "xml")))
        .hasMessageContaining("LOG_FORMAT must be one of [plain, json], was 'xml'");
    assertThat(ServerConfig.fromEnvironment(Map.of("LOG_FORMAT", "JSON")).logFormat())
        .isEqualTo("json");
  }

  @Test
  void jwt_settings_are_read_checked_together_and_the_secret_never_shown() {
    var secret = "s".repeat(40);
    var c = ServerConfig.fromEnvironment(Map.of("JWT_ENABLED", "true", "JWT_SECRET", secret,
        "JWT_SKIP_PATHS", "/health, /custom/", "JWT_ROLE_ADMIN", "root"));
    assertThat(c.auth().enabled()).isTrue();
    assertThat(c.auth().skipPaths()).containsExactly("/health", "/custom/");
    assertThat(c.auth().skips("/custom/x")).isTrue();
    assertThat(c.auth().skips("/healthz")).isFalse();
    assertThat(c.auth().roleAdmin()).isEqualTo("root");
    assertThat(c.toString()).doesNotContain(secret).contains("JWT_SECRET=****");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("JWT_ENABLED", "true",
        "JWT_ALGORITHM", "RS256", "JWT_SECRET", "x", "JWT_CLOCK_SKEW", "-1", "PORT", "p")))
        .hasMessageContaining("needs exactly one of JWT_PUBLIC_KEY")
        .hasMessageContaining("JWT_SECRET is for the HS algorithms")
        .hasMessageContaining("JWT_CLOCK_SKEW must be between 0 and 3600 seconds, was -1")
        .hasMessageContaining("PORT must be an integer");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("JWT_ENABLED", "true",
        "JWT_ALGORITHM", "ES256", "JWT_PUBLIC_KEY_FILE", "/no/such/key.pem")))
        .hasMessageContaining("JWT_PUBLIC_KEY_FILE cannot be read");
  }

  @Test
  void help_describes_every_setting_the_server_reads_and_version_comes_from_the_build() {
    var help = Help.text();
    var withAuth = ServerConfig.fromEnvironment(Map.of("JWT_ENABLED", "true", "JWT_JWKS_URL",
        "https://idp.example/jwks.json", "JWT_ALGORITHM", "RS256")).describe().keySet();
    assertThat(withAuth).contains("JWT_JWKS_MIN_REFRESH_INTERVAL", "JWT_ROLE_READ_ONLY");
    for (var name : withAuth) {
      assertThat(help).as("--help names %s", name).contains("\n  " + name + "  (default: ");
    }
    for (var name : ServerConfig.fromEnvironment(Map.of()).describe().keySet()) {
      assertThat(help).as("--help names %s", name).contains("\n  " + name + "  (default: ");
    }
    assertThat(BuildInfo.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(help).startsWith("queen-server " + BuildInfo.version());
  }
}
