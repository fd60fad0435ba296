package io.queen.server;

import io.queen.EncryptionKeys;
import io.queen.FileBufferSettings;
import io.queen.LifecycleSettings;
import io.queen.QueenConfig;
import io.queen.model.SubscriptionMode;
import io.queen.server.security.AuthSettings;
import io.queen.server.security.TlsSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The server's configuration, read from environment variables named as in the original Queen.
 * Immutable; every value is checked when the record is built, and {@link #fromEnvironment} reports
 * every bad variable at once.
 *
 * @param port TCP port ({@code PORT}, 6632; 0 picks a free port)
 * @param host bind address ({@code HOST}, 0.0.0.0)
 * @param numWorkers XNIO IO threads, each owning one response queue ({@code NUM_WORKERS}, cores)
 * @param pgHost PostgreSQL host ({@code PG_HOST}); null means "start the embedded PostgreSQL"
 * @param pgPort PostgreSQL port ({@code PG_PORT}, 5432; for the embedded one 0 = a free port)
 * @param pgDb database ({@code PG_DB}, postgres)
 * @param pgUser user ({@code PG_USER}, postgres)
 * @param pgPassword password ({@code PG_PASSWORD}, none), never logged
 * @param pgUseSsl {@code PG_USE_SSL}: connect with sslmode=require
 * @param dbPoolSize pooled connections = database threads ({@code DB_POOL_SIZE}, 4)
 * @param schema Queen's PostgreSQL schema ({@code QUEEN_SCHEMA}, queen)
 * @param defaultTimeoutMs long-poll timeout when a pop gives none ({@code DEFAULT_TIMEOUT}, 30000)
 * @param maxTimeoutMs the longest long-poll timeout accepted ({@code MAX_TIMEOUT}, 3600000)
 * @param defaultBatchSize pop batch when a pop gives none ({@code DEFAULT_BATCH_SIZE}, 1)
 * @param defaultSubscriptionMode where new named groups start ({@code DEFAULT_SUBSCRIPTION_MODE}, all)
 * @param responseTimerIntervalMs the per-IO-thread backstop timer ({@code RESPONSE_TIMER_INTERVAL_MS}, 100)
 * @param maxBodyBytes largest request body ({@code MAX_BODY_SIZE}, 64 MiB); 413 beyond
 * @param maxPendingPerWorker requests one IO thread may have in flight ({@code MAX_PENDING_PER_WORKER})
 * @param maxQueuedRequests core's bound per operation kind ({@code MAX_QUEUED_REQUESTS})
 * @param maxWaitingPops parked long polls in the whole server ({@code MAX_WAITING_POPS})
 * @param shutdownTimeoutMs bound on graceful shutdown ({@code SHUTDOWN_TIMEOUT_MS}, 10000)
 * @param statsIntervalMs how old the operations API's lists and totals may be while they are read
 *     ({@code STATS_INTERVAL_MS}, 5000; 0 aggregates on every request)
 * @param logLevel the root level, then {@code logger=level} pairs, comma-separated
 *     ({@code LOG_LEVEL}, info; levels trace, debug, info, warn, error, off)
 * @param logFormat {@code plain} lines or {@code json}, one object per line ({@code LOG_FORMAT})
 * @param dataDir where the embedded PostgreSQL keeps its data ({@code QUEEN_DATA_DIR}, ./queen-data)
 * @param lifecycle retention and eviction: {@code RETENTION_INTERVAL} (ms, 300000; 0 off),
 *     {@code RETENTION_BATCH_SIZE} (1000), {@code PARTITION_CLEANUP_DAYS} (30),
 *     {@code METRICS_RETENTION_DAYS} (90), {@code EVICTION_INTERVAL} (ms, 60000; 0 off),
 *     {@code EVICTION_BATCH_SIZE} (1000)
 * @param fileBuffer where pushes go while PostgreSQL is unreachable or push maintenance is on:
 *     {@code FILE_BUFFER_DIR} (default {@code <QUEEN_DATA_DIR>/file-buffer}, created if missing;
 *     {@code none} for no buffer: null),
 *     {@code FILE_BUFFER_FSYNC} (true: answered {@code buffered} only once on disk) and
 *     {@code FILE_BUFFER_MAX_MB} (1024)
 * @param encryption the keys of encrypted queues: {@code QUEEN_ENCRYPTION_KEY} (64 hexadecimal
 *     characters) and {@code QUEEN_ENCRYPTION_KEYS_OLD} (previous keys, comma-separated, that still
 *     decrypt); null when no key is set. Never logged.
 * @param logRequests one line per answered request on the {@code io.queen.server.access} logger
 *     (method, path, status, items, microseconds) ({@code LOG_REQUESTS}, false)
 * @param tracingEnabled spans for pushes and pops through the OpenTelemetry registered globally,
 *     normally by the OpenTelemetry Java agent ({@code TRACING_ENABLED}, false); the server refuses
 *     to start when none is registered
 * @param dashboardEnabled the browser dashboard's static files at {@code /}
 *     ({@code DASHBOARD_ENABLED}, true); off, nothing is loaded and {@code /} is a JSON 404
 * @param auth JWT authentication of the HTTP API ({@code JWT_*}, off by default; see
 *     {@link AuthSettings} and docs/security.md)
 * @param listener TLS, HTTP/2, CORS origins, connection and size limits, timeouts (see
 *     {@link ListenerSettings})
 */
public record ServerConfig(
    int port,
    String host,
    int numWorkers,
    String pgHost,
    int pgPort,
    String pgDb,
    String pgUser,
    String pgPassword,
    boolean pgUseSsl,
    int dbPoolSize,
    String schema,
    int defaultTimeoutMs,
    int maxTimeoutMs,
    int defaultBatchSize,
    SubscriptionMode defaultSubscriptionMode,
    int responseTimerIntervalMs,
    int maxBodyBytes,
    int maxPendingPerWorker,
    int maxQueuedRequests,
    int maxWaitingPops,
    int shutdownTimeoutMs,
    int statsIntervalMs,
    String logLevel,
    String logFormat,
    Path dataDir,
    LifecycleSettings lifecycle,
    FileBufferSettings fileBuffer,
    EncryptionKeys encryption,
    boolean logRequests,
    boolean tracingEnabled,
    boolean dashboardEnabled,
    AuthSettings auth,
    ListenerSettings listener) {

  public static final int DEFAULT_PORT = 6632;
  public static final int DEFAULT_PG_PORT = 5432;
  public static final int DEFAULT_DB_POOL_SIZE = 4;
  public static final int DEFAULT_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_TIMEOUT_MS = 3_600_000;
  public static final int DEFAULT_RESPONSE_TIMER_INTERVAL_MS = 100;
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
  public static final int DEFAULT_MAX_PENDING_PER_WORKER = 10_000;
  public static final int DEFAULT_MAX_QUEUED_REQUESTS = 20_000;
  public static final int DEFAULT_MAX_WAITING_POPS = 10_000;
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
  private static final List<String> LOG_LEVELS =
      List.of("trace", "debug", "info", "warn", "error", "off");
  private static final List<String> LOG_FORMATS = List.of("plain", "json");

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(pgDb, "pgDb");
    Objects.requireNonNull(pgUser, "pgUser");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(defaultSubscriptionMode, "defaultSubscriptionMode");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(lifecycle, "lifecycle");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(listener, "listener");
    range("PORT", port, 0, 65_535);
    check(!host.isBlank(), "HOST must not be empty");
    range("NUM_WORKERS", numWorkers, 1, 1024);
    check(pgHost == null || !pgHost.isBlank(), "PG_HOST must not be empty when set");
    range("PG_PORT", pgPort, 0, 65_535);
    check(pgHost == null || pgPort > 0, "PG_PORT must be between 1 and 65535 when PG_HOST is set");
    range("DB_POOL_SIZE", dbPoolSize, 1, 256);
    range("DEFAULT_TIMEOUT", defaultTimeoutMs, 0, Integer.MAX_VALUE);
    range("MAX_TIMEOUT", maxTimeoutMs, 1, Integer.MAX_VALUE);
    check(defaultTimeoutMs <= maxTimeoutMs,
        "DEFAULT_TIMEOUT (%s) must not exceed MAX_TIMEOUT (%s)", defaultTimeoutMs, maxTimeoutMs);
    range("DEFAULT_BATCH_SIZE", defaultBatchSize, 1, 10_000);
    range("RESPONSE_TIMER_INTERVAL_MS", responseTimerIntervalMs, 1, 60_000);
    range("MAX_BODY_SIZE", maxBodyBytes, 1024, Integer.MAX_VALUE - 8);
    range("MAX_PENDING_PER_WORKER", maxPendingPerWorker, 1, 10_000_000);
    range("MAX_QUEUED_REQUESTS", maxQueuedRequests, 1, 10_000_000);
    range("MAX_WAITING_POPS", maxWaitingPops, 0, 10_000_000);
    range("SHUTDOWN_TIMEOUT_MS", shutdownTimeoutMs, 100, 600_000);
    range("STATS_INTERVAL_MS", statsIntervalMs, 0, 3_600_000);
    logLevels(logLevel);
    check(LOG_FORMATS.contains(logFormat), "LOG_FORMAT must be one of %s, was '%s'", LOG_FORMATS,
        logFormat);
  }

  /** The defaults with no variable set: embedded PostgreSQL, port 6632. */
  public static ServerConfig defaults() {
    return fromEnvironment(Map.of());
  }

  /**
   * Reads the configuration from variables (normally {@code System.getenv()}).
   *
   * @throws IllegalArgumentException listing every variable that is malformed or out of range
   */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    var r = new EnvReader(env);
    int cores = Runtime.getRuntime().availableProcessors();
    var port = r.integer("PORT", DEFAULT_PORT);
    var host = r.string("HOST", "0.0.0.0");
    var numWorkers = r.integer("NUM_WORKERS", Math.max(1, cores));
    var pgHost = r.string("PG_HOST", null);
    var pgPort = r.integer("PG_PORT", pgHost == null ? 0 : DEFAULT_PG_PORT);
    var pgDb = r.string("PG_DB", "postgres");
    var pgUser = r.string("PG_USER", "postgres");
    var pgPassword = r.string("PG_PASSWORD", null);
    var pgUseSsl = r.bool("PG_USE_SSL", false);
    var pool = r.integer("DB_POOL_SIZE", DEFAULT_DB_POOL_SIZE);
    var schema = r.string("QUEEN_SCHEMA", "queen");
    var timeout = r.integer("DEFAULT_TIMEOUT", DEFAULT_TIMEOUT_MS);
    var maxTimeout = r.integer("MAX_TIMEOUT", DEFAULT_MAX_TIMEOUT_MS);
    var batch = r.integer("DEFAULT_BATCH_SIZE", 1);
    var mode = r.subscriptionMode("DEFAULT_SUBSCRIPTION_MODE");
    var timer = r.integer("RESPONSE_TIMER_INTERVAL_MS", DEFAULT_RESPONSE_TIMER_INTERVAL_MS);
    var body = r.integer("MAX_BODY_SIZE", DEFAULT_MAX_BODY_BYTES);
    var pending = r.integer("MAX_PENDING_PER_WORKER", DEFAULT_MAX_PENDING_PER_WORKER);
    var queued = r.integer("MAX_QUEUED_REQUESTS", DEFAULT_MAX_QUEUED_REQUESTS);
    var waiting = r.integer("MAX_WAITING_POPS", DEFAULT_MAX_WAITING_POPS);
    var shutdown = r.integer("SHUTDOWN_TIMEOUT_MS", DEFAULT_SHUTDOWN_TIMEOUT_MS);
    var statsInterval = r.integer("STATS_INTERVAL_MS",
        (int) QueenConfig.DEFAULT_SUMMARY_INTERVAL.toMillis());
    var logLevel = r.string("LOG_LEVEL", "info");
    var logFormat = r.string("LOG_FORMAT", "plain").toLowerCase(Locale.ROOT);
    var dataDir = Path.of(r.string("QUEEN_DATA_DIR", "./queen-data"));
    var d = LifecycleSettings.DEFAULTS;
    var retentionMs = r.integer("RETENTION_INTERVAL", (int) d.retentionInterval().toMillis());
    var retentionBatch = r.integer("RETENTION_BATCH_SIZE", d.retentionBatchSize());
    var cleanupDays = r.integer("PARTITION_CLEANUP_DAYS", (int) d.partitionCleanupAge().toDays());
    var historyDays = r.integer("METRICS_RETENTION_DAYS", (int) d.historyRetention().toDays());
    var evictionMs = r.integer("EVICTION_INTERVAL", (int) d.evictionInterval().toMillis());
    var evictionBatch = r.integer("EVICTION_BATCH_SIZE", d.evictionBatchSize());
    var bufferDirText = r.string("FILE_BUFFER_DIR", dataDir.resolve("file-buffer").toString());
    var bufferFsync = r.bool("FILE_BUFFER_FSYNC", true);
    var bufferMaxMb = r.integer("FILE_BUFFER_MAX_MB", 1024);
    var encryption = r.encryptionKeys("QUEEN_ENCRYPTION_KEY", "QUEEN_ENCRYPTION_KEYS_OLD");
    var logRequests = r.bool("LOG_REQUESTS", false);
    var tracing = r.bool("TRACING_ENABLED", false);
    var dashboard = r.bool("DASHBOARD_ENABLED", true);
    var auth = r.auth();
    var listener = r.listener();
    r.throwIfAnyProblem();
    LifecycleSettings lifecycle;
    try {
      lifecycle = new LifecycleSettings(Duration.ofMillis(retentionMs), retentionBatch,
          Duration.ofDays(cleanupDays), Duration.ofDays(historyDays), Duration.ofMillis(evictionMs),
          evictionBatch);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage()
          .replace("retentionInterval", "RETENTION_INTERVAL")
          .replace("retentionBatchSize", "RETENTION_BATCH_SIZE")
          .replace("partitionCleanupAge", "PARTITION_CLEANUP_DAYS")
          .replace("historyRetention", "METRICS_RETENTION_DAYS")
          .replace("evictionInterval", "EVICTION_INTERVAL")
          .replace("evictionBatchSize", "EVICTION_BATCH_SIZE"), e);
    }
    if (bufferMaxMb < 1 || bufferMaxMb > 16 * 1024 * 1024) {
      throw new IllegalArgumentException("invalid configuration: FILE_BUFFER_MAX_MB must be between"
          + " 1 and 16777216, was " + bufferMaxMb);
    }
    var fileBuffer = bufferDirText.equalsIgnoreCase("none") ? null
        : new FileBufferSettings(Path.of(bufferDirText), bufferFsync, bufferMaxMb * (1L << 20));
    try {
      return new ServerConfig(port, host, numWorkers, pgHost, pgPort, pgDb, pgUser, pgPassword,
          pgUseSsl, pool, schema, timeout, maxTimeout, batch, mode, timer, body, pending, queued,
          waiting, shutdown, statsInterval, logLevel, logFormat, dataDir, lifecycle, fileBuffer,
          encryption, logRequests, tracing, dashboard, auth, listener);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /** Whether the server starts its own PostgreSQL (no {@code PG_HOST}). */
  public boolean embeddedDatabase() {
    return pgHost == null;
  }

  /** The JDBC URL of an external PostgreSQL ({@code PG_HOST} set). */
  public String jdbcUrl() {
    if (pgHost == null) {
      throw new IllegalStateException("no PG_HOST: the embedded PostgreSQL decides the URL");
    }
    return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + pgDb
        + (pgUseSsl ? "?sslmode=require" : "");
  }

  /** The effective configuration as variable = value lines, the password hidden. */
  public Map<String, Object> describe() {
    var m = new LinkedHashMap<String, Object>();
    m.put("PORT", port);
    m.put("HOST", host);
    m.put("NUM_WORKERS", numWorkers);
    m.put("PG_HOST", pgHost == null ? "(unset: embedded PostgreSQL)" : pgHost);
    m.put("PG_PORT", pgPort == 0 ? "(a free port)" : pgPort);
    m.put("PG_DB", pgDb);
    m.put("PG_USER", pgUser);
    m.put("PG_PASSWORD", pgPassword == null ? "(none)" : "****");
    m.put("PG_USE_SSL", pgUseSsl);
    m.put("DB_POOL_SIZE", dbPoolSize);
    m.put("QUEEN_SCHEMA", schema);
    m.put("DEFAULT_TIMEOUT", defaultTimeoutMs);
    m.put("MAX_TIMEOUT", maxTimeoutMs);
    m.put("DEFAULT_BATCH_SIZE", defaultBatchSize);
    m.put("DEFAULT_SUBSCRIPTION_MODE", defaultSubscriptionMode.name().toLowerCase(Locale.ROOT));
    m.put("RESPONSE_TIMER_INTERVAL_MS", responseTimerIntervalMs);
    m.put("MAX_BODY_SIZE", maxBodyBytes);
    m.put("MAX_PENDING_PER_WORKER", maxPendingPerWorker);
    m.put("MAX_QUEUED_REQUESTS", maxQueuedRequests);
    m.put("MAX_WAITING_POPS", maxWaitingPops);
    m.put("SHUTDOWN_TIMEOUT_MS", shutdownTimeoutMs);
    m.put("STATS_INTERVAL_MS", statsIntervalMs);
    m.put("LOG_LEVEL", logLevel);
    m.put("LOG_FORMAT", logFormat);
    m.put("LOG_REQUESTS", logRequests);
    m.put("TRACING_ENABLED", tracingEnabled);
    m.put("DASHBOARD_ENABLED", dashboardEnabled);
    m.put("QUEEN_DATA_DIR", dataDir);
    m.put("RETENTION_INTERVAL", lifecycle.retentionInterval().toMillis());
    m.put("RETENTION_BATCH_SIZE", lifecycle.retentionBatchSize());
    m.put("PARTITION_CLEANUP_DAYS", lifecycle.partitionCleanupAge().toDays());
    m.put("METRICS_RETENTION_DAYS", lifecycle.historyRetention().toDays());
    m.put("EVICTION_INTERVAL", lifecycle.evictionInterval().toMillis());
    m.put("EVICTION_BATCH_SIZE", lifecycle.evictionBatchSize());
    m.put("FILE_BUFFER_DIR", fileBuffer == null ? "none (pushes fail while PostgreSQL is away)"
        : fileBuffer.directory());
    if (fileBuffer != null) {
      m.put("FILE_BUFFER_FSYNC", fileBuffer.fsync());
      m.put("FILE_BUFFER_MAX_MB", fileBuffer.maxBytes() >> 20);
    }
    m.put("QUEEN_ENCRYPTION_KEY", encryption == null ? "(none: encrypted queues refused)" : "****");
    m.put("QUEEN_ENCRYPTION_KEYS_OLD", encryption == null ? 0 : encryption.previous().size());
    var tls = listener.tls();
    m.put("TLS_CERT_FILE", tls == null || tls.certFile() == null ? "(none)" : tls.certFile());
    m.put("TLS_KEY_FILE", tls == null || tls.keyFile() == null ? "(none)" : tls.keyFile());
    m.put("TLS_KEYSTORE_FILE", tls == null || tls.keystoreFile() == null ? "(none)"
        : tls.keystoreFile());
    m.put("TLS_KEYSTORE_PASSWORD", tls == null || tls.keystorePassword() == null ? "(none)" : "****");
    m.put("HTTP2_ENABLED", listener.http2());
    m.put("CORS_ALLOWED_ORIGINS", String.join(",", listener.corsAllowedOrigins()));
    m.put("MAX_CONNECTIONS", listener.maxConnections());
    m.put("MAX_HEADER_SIZE", listener.maxHeaderBytes());
    m.put("IDLE_TIMEOUT_MS", listener.idleTimeoutMs());
    m.put("REQUEST_TIMEOUT_MS", listener.requestTimeoutMs());
    m.putAll(auth.describe());
    return m;
  }

  @Override
  public String toString() {
    return "ServerConfig" + describe();
  }

  private static void range(String name, long value, long min, long max) {
    check(value >= min && value <= max, "%s must be between %s and %s, was %s", name, min, max, value);
  }

  private static void check(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(format, args));
    }
  }

  /**
   * {@code LOG_LEVEL} as levels by logger name, the root's under {@code ""}: a level alone sets
   * the root's ({@code info}), {@code name=level} one logger's and those below it, for example
   * {@code warn,io.queen=info,io.queen.internal.jobs=debug}. Throws naming the first bad part.
   */
  public static Map<String, String> logLevels(String spec) {
    var levels = new LinkedHashMap<String, String>();
    levels.put("", "info");
    for (var raw : spec.split(",")) {
      var part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      var name = eq < 0 ? "" : part.substring(0, eq).trim();
      var level = (eq < 0 ? part : part.substring(eq + 1)).trim().toLowerCase(Locale.ROOT);
      check(eq < 0 || name.matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*"),
          "LOG_LEVEL: '%s' is not a logger name (in '%s')", name, spec);
      check(LOG_LEVELS.contains(level), "LOG_LEVEL: the level of %s must be one of %s, was '%s'",
          name.isEmpty() ? "the root" : name, LOG_LEVELS, level);
      levels.put(name, level);
    }
    return levels;
  }

  /** Reads variables and collects every malformed one, so a bad start reports them all. */
  private static final class EnvReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    EnvReader(Map<String, String> env) {
      this.env = env;
    }

    private String raw(String name) {
      var v = env.get(name);
      return v == null || v.isBlank() ? null : v.trim();
    }

    String string(String name, String fallback) {
      var v = raw(name);
      return v == null ? fallback : v;
    }

    int integer(String name, int fallback) {
      var v = raw(name);
      if (v == null) {
        return fallback;
      }
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        problems.add(name + " must be an integer, was '" + v + "'");
        return fallback;
      }
    }

    boolean bool(String name, boolean fallback) {
      var v = raw(name);
      if (v == null) {
        return fallback;
      }
      switch (v.toLowerCase(Locale.ROOT)) {
        case "true":
        case "1":
          return true;
        case "false":
        case "0":
          return false;
        default:
          problems.add(name + " must be true or false, was '" + v + "'");
          return fallback;
      }
    }

    SubscriptionMode subscriptionMode(String name) {
      var v = env.get(name);
      if (v == null) {
        return SubscriptionMode.ALL;
      }
      try {
        return SubscriptionMode.parse(v);
      } catch (IllegalArgumentException e) {
        problems.add(name + " must be one of all, from_beginning, new, new-only (or empty), was '" + v + "'");
        return SubscriptionMode.ALL;
      }
    }

    /** The current key and the comma-separated previous ones; null when there is no current. */
    EncryptionKeys encryptionKeys(String currentName, String previousName) {
      var current = raw(currentName);
      var previousText = raw(previousName);
      var previous = new ArrayList<String>();
      if (previousText != null) {
        for (var k : previousText.split(",")) {
          if (!k.isBlank()) {
            previous.add(k.trim());
          }
        }
      }
      if (current == null) {
        if (!previous.isEmpty()) {
          problems.add(previousName + " is set but " + currentName + " is not: previous keys "
              + "only decrypt, a current key must encrypt new payloads");
        }
        return null;
      }
      try {
        return new EncryptionKeys(current, previous);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage().replace("the current key", currentName)
            .replace("previous key ", previousName + " #"));
        return null;
      }
    }

    /** TLS, HTTP/2, CORS and the listener's limits; a default after a problem (reported). */
    ListenerSettings listener() {
      var cert = string("TLS_CERT_FILE", null);
      var key = string("TLS_KEY_FILE", null);
      var store = string("TLS_KEYSTORE_FILE", null);
      TlsSettings tls = null;
      if (cert != null || key != null || store != null) {
        try {
          tls = new TlsSettings(cert == null ? null : Path.of(cert), key == null ? null : Path.of(key),
              store == null ? null : Path.of(store), env.get("TLS_KEYSTORE_PASSWORD"));
          for (var file : new String[] {cert, key, store}) {
            if (file != null && !Files.isReadable(Path.of(file))) {
              problems.add("TLS file " + file + " does not exist or cannot be read");
            }
          }
        } catch (IllegalArgumentException e) {
          problems.add(e.getMessage());
        }
      } else if (raw("TLS_KEYSTORE_PASSWORD") != null) {
        problems.add("TLS_KEYSTORE_PASSWORD is set but TLS_KEYSTORE_FILE is not");
      }
      var http2 = bool("HTTP2_ENABLED", tls != null);
      var cors = java.util.Arrays.stream(string("CORS_ALLOWED_ORIGINS", "*").split(","))
          .map(String::trim).filter(x -> !x.isEmpty()).toList();
      try {
        return new ListenerSettings(
            integer("MAX_CONNECTIONS", ListenerSettings.DEFAULT_MAX_CONNECTIONS),
            integer("MAX_HEADER_SIZE", ListenerSettings.DEFAULT_MAX_HEADER_BYTES),
            integer("IDLE_TIMEOUT_MS", ListenerSettings.DEFAULT_IDLE_TIMEOUT_MS),
            integer("REQUEST_TIMEOUT_MS", ListenerSettings.DEFAULT_REQUEST_TIMEOUT_MS),
            cors, http2, tls);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
        return null;
      }
    }

    /** The {@code JWT_*} variables; {@link AuthSettings#DISABLED} after a problem (reported). */
    AuthSettings auth() {
      var d = AuthSettings.DISABLED;
      var enabled = bool("JWT_ENABLED", false);
      var algorithm = string("JWT_ALGORITHM", d.algorithm());
      var secret = env.get("JWT_SECRET") == null || env.get("JWT_SECRET").isEmpty() ? null
          : env.get("JWT_SECRET"); // as given: spaces are part of a secret
      var pem = string("JWT_PUBLIC_KEY", null);
      var pemFile = string("JWT_PUBLIC_KEY_FILE", null);
      if (pemFile != null) {
        if (pem != null) {
          problems.add("set JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE, not both");
        }
        try {
          pem = Files.readString(Path.of(pemFile));
        } catch (IOException | RuntimeException e) {
          problems.add("JWT_PUBLIC_KEY_FILE cannot be read: " + e);
        }
      }
      var jwksText = string("JWT_JWKS_URL", null);
      URI jwks = null;
      if (jwksText != null) {
        try {
          jwks = URI.create(jwksText);
        } catch (IllegalArgumentException e) {
          problems.add("JWT_JWKS_URL is not a URL: " + e.getMessage());
        }
      }
      var refresh = integer("JWT_JWKS_REFRESH_INTERVAL", (int) d.jwksRefreshInterval().toSeconds());
      var minRefresh = integer("JWT_JWKS_MIN_REFRESH_INTERVAL",
          (int) d.jwksMinRefreshInterval().toSeconds());
      var timeout = integer("JWT_JWKS_TIMEOUT_MS", (int) d.jwksTimeout().toMillis());
      var issuer = string("JWT_ISSUER", null);
      var audience = string("JWT_AUDIENCE", null);
      var skew = integer("JWT_CLOCK_SKEW", (int) d.clockSkew().toSeconds());
      var skipText = env.get("JWT_SKIP_PATHS");
      var skip = skipText == null ? d.skipPaths() : java.util.Arrays.stream(skipText.split(","))
          .map(String::trim).filter(x -> !x.isEmpty()).toList();
      try {
        return new AuthSettings(enabled, algorithm, secret, pem, jwks, Duration.ofSeconds(refresh),
            Duration.ofSeconds(minRefresh), Duration.ofMillis(timeout), issuer, audience,
            Duration.ofSeconds(skew), skip, string("JWT_ROLES_CLAIM", d.rolesClaim()),
            string("JWT_ROLES_ARRAY_CLAIM", d.rolesArrayClaim()),
            string("JWT_ROLE_ADMIN", d.roleAdmin()), string("JWT_ROLE_READ_WRITE", d.roleReadWrite()),
            string("JWT_ROLE_READ_ONLY", d.roleReadOnly()));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
        return d;
      }
    }

    void throwIfAnyProblem() {
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
      }
    }
  }
}
