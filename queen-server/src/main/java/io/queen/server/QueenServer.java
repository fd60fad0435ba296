package io.queen.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.queen.ConnectionSettings;
import io.queen.Queen;
import io.queen.QueenConfig;
import io.queen.QueueManager;
import io.queen.server.dashboard.DashboardHandler;
import io.queen.server.http.DecoratorChain;
import io.queen.server.http.RequestDecorator;
import io.queen.server.http.Router;
import io.queen.server.http.Router.Route;
import io.queen.server.metrics.PrometheusEndpoint;
import io.queen.server.routes.AckRoutes;
import io.queen.server.routes.AnalyticsRoutes;
import io.queen.server.routes.ConsumerGroupRoutes;
import io.queen.server.routes.DlqRoutes;
import io.queen.server.routes.HealthRoutes;
import io.queen.server.routes.LeaseRoutes;
import io.queen.server.routes.MessageRoutes;
import io.queen.server.routes.MetricsRoutes;
import io.queen.server.routes.PopRoutes;
import io.queen.server.routes.PushRoutes;
import io.queen.server.routes.QueueRoutes;
import io.queen.server.routes.ResourceRoutes;
import io.queen.server.routes.ServerInfoRoutes;
import io.queen.server.routes.StatusRoutes;
import io.queen.server.routes.SystemRoutes;
import io.queen.server.routes.TraceRoutes;
import io.queen.server.routes.TransactionRoutes;
import io.queen.server.security.JwtGate;
import io.queen.server.worker.Cors;
import io.queen.server.worker.IoThreadWorkers;
import io.queen.server.worker.NoRouteHandler;
import io.queen.server.worker.OperationMetrics;
import io.queen.server.worker.OwnerThreadGuard;
import io.queen.server.worker.RequestIntake;
import io.queen.tracing.QueenTracing;
import io.queen.tracing.otel.OpenTelemetryTracing;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The Queen-compatible HTTP server: {@link ServerConfig} → (embedded) PostgreSQL →
 * {@link QueueManager} → Undertow with one {@link io.queen.server.worker.IoThreadWorker} per IO
 * thread.
 *
 * <p>Shutdown ({@link #stop()}, also run on SIGTERM) is ordered and bounded by
 * {@code SHUTDOWN_TIMEOUT_MS}: refuse new requests (503) and stop accepting connections; answer
 * parked long polls with 204; let in-flight requests finish; close the core (which commits or
 * refuses what it holds and closes the pool); stop the IO threads; stop the embedded PostgreSQL.
 * A push answered 201 was committed before its answer, so nothing acknowledged is lost.
 *
 * <p>Threads: {@code queen-io I/O-n} (XNIO IO threads, the workers), the core's {@code queen-db},
 * {@code queen-timer} and {@code queen-listen}, and {@code queen-shutdown} for the SIGTERM hook.
 */
public final class QueenServer implements AutoCloseable {
  // Not static: main() must set the log level before the first logger is created.
  private final Logger log = LoggerFactory.getLogger(QueenServer.class);

  /**
   * Undertow's IO buffers (requests are read into them), set rather than left to its heuristic:
   * that picks them from the heap size, 512-byte heap buffers under a 64 MiB heap and 1 KiB under
   * 128 MiB, so a push of 100 messages took 27 reads (docs/benchmarks.md, "Read buffers"). The
   * size is the one its heuristic gives a heap of 256 MiB or more.
   */
  private static final int IO_BUFFER_BYTES = 16 * 1024 - 20;

  private final ServerConfig config;
  private final EmbeddedDatabase embedded;
  private final QueueManager queen;
  private final PrometheusEndpoint prometheus;
  private final XnioWorker xnio;
  private final IoThreadWorkers workers;
  private final RequestIntake intake;
  private final JwtGate jwtGate;
  private final List<Route> routes;
  private final Undertow undertow;
  private final int port;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private QueenServer(ServerConfig config, List<RequestDecorator> decorators) {
    this.config = config;
    log.info("Queen server starting with configuration:");
    config.describe().forEach((k, v) -> log.info("  {} = {}", k, v));
    var closeOnFailure = new ArrayList<AutoCloseable>();
    try {
      String url;
      String user;
      String password;
      if (config.embeddedDatabase()) {
        this.embedded = EmbeddedDatabase.start(config.dataDir(), config.pgPort());
        closeOnFailure.add(embedded);
        url = embedded.jdbcUrl();
        user = null;
        password = null;
      } else {
        this.embedded = null;
        url = config.jdbcUrl();
        user = config.pgUser();
        password = config.pgPassword();
        log.info("using PostgreSQL at {} as {}", url, user);
      }
      this.prometheus = new PrometheusEndpoint();
      closeOnFailure.add(prometheus);
      var queenConfig = QueenConfig.builder()
          .metrics(prometheus.engineMetrics())
          .schema(config.schema())
          .dbThreads(config.dbPoolSize())
          .maxConcurrentBatches(Math.min(2, config.dbPoolSize()))
          .maxQueuedRequests(config.maxQueuedRequests())
          .maxWaitingPops(config.maxWaitingPops())
          .defaultSubscriptionMode(config.defaultSubscriptionMode())
          .shutdownTimeout(Duration.ofMillis(config.shutdownTimeoutMs()))
          .lifecycle(config.lifecycle())
          .summaryInterval(Duration.ofMillis(config.statsIntervalMs()))
          .httpPort(config.port())
          .encryption(config.encryption())
          .fileBuffer(config.fileBuffer())
          .tracing(tracing(config))
          .build();
      // A short wait for a connection makes /health and requests fail fast (503) when the
      // database is down, instead of holding them for the pool's default.
      this.queen = Queen.connect(new ConnectionSettings(url, user, password, config.dbPoolSize(),
          Duration.ofSeconds(2)),
          queenConfig);
      closeOnFailure.add(queen);
      this.xnio = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
          .set(Options.WORKER_NAME, "queen-io")
          .set(Options.WORKER_IO_THREADS, config.numWorkers())
          // DB work runs on the core's executor, so XNIO's task pool stays tiny.
          .set(Options.WORKER_TASK_CORE_THREADS, 2)
          .set(Options.WORKER_TASK_MAX_THREADS, 2)
          .set(Options.TCP_NODELAY, true)
          .getMap());
      var guard = new OwnerThreadGuard();
      var metrics = new OperationMetrics();
      var listener = config.listener();
      this.workers = new IoThreadWorkers(xnio, queen, guard, metrics, config.maxPendingPerWorker(),
          config.responseTimerIntervalMs(), new Cors(listener.corsAllowedOrigins()));
      var routes = routes(queen, config, workers, metrics);
      routes.add(prometheus.route(xnio));
      var operations = new java.util.TreeSet<String>(List.of("not_found"));
      NoRouteHandler noRoute = NoRouteHandler.NONE;
      if (config.dashboardEnabled()) {
        var dashboard = DashboardHandler.load(QueenServer.class.getClassLoader());
        log.info("dashboard: {}", dashboard.summary());
        noRoute = dashboard;
        operations.add(DashboardHandler.OPERATION);
      }
      routes.forEach(r -> operations.add(r.operation()));
      prometheus.bindHttp(metrics, operations);
      prometheus.bindWorkers(workers::stats, config.numWorkers());
      this.routes = List.copyOf(routes);
      var router = new Router(routes);
      var chain = new ArrayList<RequestDecorator>();
      if (config.auth().enabled()) {
        this.jwtGate = JwtGate.start(config.auth(), routes, Clock.systemUTC());
        closeOnFailure.add(jwtGate);
        chain.add(jwtGate); // first: nothing else sees a request that is not allowed
      } else {
        this.jwtGate = null;
      }
      chain.addAll(decorators);
      // the dashboard answers before the decorators: its files hold no data and need no token
      this.intake = new RequestIntake(router, DecoratorChain.of(chain), workers, noRoute,
          config.maxBodyBytes(), listener.requestTimeoutMs());
      workers.startTimers();
      var builder = Undertow.builder().setWorker(xnio)
          .setBufferSize(IO_BUFFER_BYTES)
          .setDirectBuffers(true);
      if (listener.tls() != null) {
        builder.addHttpsListener(config.port(), config.host(), listener.tls().sslContext());
      } else {
        builder.addHttpListener(config.port(), config.host());
      }
      this.undertow = builder
          .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) config.maxBodyBytes())
          .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
          .setServerOption(UndertowOptions.MAX_HEADER_SIZE, listener.maxHeaderBytes())
          .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, listener.requestTimeoutMs())
          .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, listener.idleTimeoutMs())
          .setServerOption(UndertowOptions.ENABLE_HTTP2, listener.http2())
          .setSocketOption(Options.CONNECTION_HIGH_WATER, listener.maxConnections())
          .setSocketOption(Options.CONNECTION_LOW_WATER, listener.maxConnections())
          // The router and QueryParams decode strictly, answering bytes that are not UTF-8 with a
          // JSON 400 naming the parameter; Undertow's decoding read ?queue=%FF as U+FFFD, another
          // queue than the one sent. (Its parser still refuses %ZZ itself: not a URI.)
          .setServerOption(UndertowOptions.DECODE_URL, false)
          .setHandler(intake)
          .build();
      undertow.start();
      this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
      log.info("Queen server listening on {}://{}:{} with {} IO thread(s){}{}", listener.scheme(),
          config.host(), port, config.numWorkers(), listener.http2() ? ", HTTP/2 on" : "",
          embedded != null ? " (EMBEDDED PostgreSQL, data in " + embedded.dataDirectory() + ")" : "");
      if (!config.auth().enabled() && !loopback(config.host())) {
        log.warn("authentication is OFF and the server listens on {}: anyone who can reach port {} "
            + "can push, pop and delete queues. Set JWT_ENABLED=true (docs/security.md), or HOST="
            + "127.0.0.1 behind a proxy that authenticates", config.host(), port);
      }
    } catch (RuntimeException | IOException e) {
      for (int i = closeOnFailure.size() - 1; i >= 0; i--) {
        try {
          closeOnFailure.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof IOException) {
        throw new IllegalStateException("cannot start the server: " + e.getMessage(), e);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Every route, one resource after another. The order is the matching order: the first route
   * whose method and pattern fit a request wins.
   */
  private static List<Route> routes(QueueManager queen, ServerConfig config,
      IoThreadWorkers workers, OperationMetrics metrics) {
    var routes = new ArrayList<Route>();
    routes.addAll(new QueueRoutes(queen).routes());
    routes.addAll(new PushRoutes(queen).routes());
    routes.addAll(new PopRoutes(queen, config.defaultBatchSize(), config.defaultTimeoutMs(),
        config.maxTimeoutMs()).routes());
    routes.addAll(new AckRoutes(queen).routes());
    routes.addAll(new TransactionRoutes(queen).routes());
    routes.addAll(new LeaseRoutes(queen).routes());
    routes.addAll(new TraceRoutes(queen).routes());
    routes.addAll(new DlqRoutes(queen).routes());
    routes.addAll(new ConsumerGroupRoutes(queen).routes());
    routes.addAll(new ResourceRoutes(queen).routes());
    routes.addAll(new MessageRoutes(queen, Clock.systemUTC()).routes());
    routes.addAll(new StatusRoutes(queen, Clock.systemUTC()).routes());
    routes.addAll(new AnalyticsRoutes(queen, Clock.systemUTC()).routes());
    routes.addAll(new HealthRoutes(queen).routes());
    routes.addAll(new SystemRoutes(queen).routes());
    routes.addAll(new ServerInfoRoutes(config.auth().enabled(), config.describe()).routes());
    routes.addAll(new MetricsRoutes(queen, workers, metrics, config.dbPoolSize()).routes());
    return routes;
  }

  /**
   * Starts a server with only its own request decorators (the JWT gate when {@code JWT_ENABLED});
   * it serves until {@link #stop()}.
   */
  public static QueenServer start(ServerConfig config) {
    return start(config, List.of());
  }

  /**
   * Starts a server whose requests pass {@code decorators}, in order, between intake and their
   * route (see {@link RequestDecorator}), after the JWT gate when {@code JWT_ENABLED}; it serves
   * until {@link #stop()}.
   */
  public static QueenServer start(ServerConfig config, List<RequestDecorator> decorators) {
    return new QueenServer(config, List.copyOf(decorators));
  }

  /** The port actually bound (useful with {@code PORT=0}). */
  public int port() {
    return port;
  }

  public ServerConfig config() {
    return config;
  }

  /** Every route it serves, in matching order. */
  public List<Route> routes() {
    return routes;
  }

  /** Times any thread but an exchange's owner touched it; 0 unless there is a bug. */
  public long ownerThreadViolations() {
    return workers.guard().violations();
  }

  /** Graceful, bounded shutdown; idempotent. See the class comment for the order. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    long start = System.nanoTime();
    var total = Duration.ofMillis(config.shutdownTimeoutMs());
    log.info("Queen server stopping (bound {} ms)", total.toMillis());
    intake.shutdown();
    undertow.stop(); // closes the listening socket only: the worker is ours
    workers.answerLongPolls(remaining(start, total, 4));
    try {
      if (!workers.awaitIdle(remaining(start, total, 2))) {
        log.warn("shutdown: closing the engine with requests still in flight");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    queen.close();
    prometheus.close();
    if (jwtGate != null) {
      jwtGate.close();
    }
    try {
      workers.awaitIdle(remaining(start, total, 1).dividedBy(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.stopTimers(Duration.ofSeconds(1));
    xnio.shutdown();
    try {
      if (!xnio.awaitTermination(Math.max(100, remaining(start, total, 1).toMillis()),
          TimeUnit.MILLISECONDS)) {
        log.warn("shutdown: IO threads still busy, forcing them down");
        xnio.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      xnio.shutdownNow();
    }
    if (embedded != null) {
      try {
        embedded.close();
      } catch (RuntimeException e) {
        log.warn("stopping the embedded PostgreSQL failed", e);
      }
    }
    log.info("Queen server stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** Whether {@code host} binds only this machine's loopback interface. */
  static boolean loopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** What is left of the shutdown bound, divided by {@code share}, at least 100 ms. */
  private static Duration remaining(long start, Duration total, int share) {
    long left = total.toNanos() - (System.nanoTime() - start);
    return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(100), left / share));
  }

  @Override
  public void close() {
    stop();
  }

  /** Runs the server from environment variables until SIGTERM/SIGINT. */
  public static void main(String[] args) {
    if (args.length > 0) {
      switch (args[0]) {
        case "--version" -> System.out.println("queen-server " + BuildInfo.version());
        case "--help", "-h" -> System.out.print(Help.text());
        default -> {
          System.err.println("queen-server: unknown argument '" + args[0]
              + "'; it takes its settings from environment variables (--help lists them)");
          System.exit(2);
        }
      }
      return;
    }
    ServerConfig config;
    try {
      config = ServerConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("queen-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.setProperty("org.jboss.logging.provider", "slf4j");
    configureLogging(config);
    QueenServer server;
    try {
      server = start(config);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(QueenServer.class).error("Queen server failed to start", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "queen-shutdown"));
  }

  /**
   * {@code TRACING_ENABLED=true}: spans through the OpenTelemetry registered globally (by the
   * OpenTelemetry Java agent, or by an application that starts the server in its own JVM).
   *
   * @throws IllegalStateException when none is registered: tracing asked for would silently
   *     record nothing
   */
  static QueenTracing tracing(ServerConfig config) {
    if (!config.tracingEnabled()) {
      return QueenTracing.NOOP;
    }
    var openTelemetry = GlobalOpenTelemetry.get();
    if (openTelemetry.getTracerProvider() == TracerProvider.noop()) {
      throw new IllegalStateException("TRACING_ENABLED=true, but no OpenTelemetry is registered: "
          + "start the server with the OpenTelemetry Java agent "
          + "(java -javaagent:opentelemetry-javaagent.jar -jar queen-server.jar), or register an "
          + "SDK with GlobalOpenTelemetry.set before the server starts");
    }
    return new OpenTelemetryTracing(openTelemetry);
  }

  /**
   * Logback from {@code LOG_LEVEL} and {@code LOG_FORMAT}, unless the operator named a file of
   * their own ({@code -Dlogback.configurationFile}). Requests are logged only with
   * {@code LOG_REQUESTS=true} (or a level for {@code io.queen.server.access} in LOG_LEVEL).
   */
  static void configureLogging(ServerConfig config) {
    if (System.getProperty("logback.configurationFile") != null) {
      if (!"info".equals(config.logLevel()) || !"plain".equals(config.logFormat())) {
        LoggerFactory.getLogger(QueenServer.class).warn("LOG_LEVEL={} and LOG_FORMAT={} are not "
            + "applied: -Dlogback.configurationFile={} configures logging", config.logLevel(),
            config.logFormat(), System.getProperty("logback.configurationFile"));
      }
      var access = ((LoggerContext) LoggerFactory.getILoggerFactory())
          .getLogger(IoThreadWorkers.ACCESS_LOGGER);
      if (access.getLevel() == null) { // the file does not name it: LOG_REQUESTS decides
        access.setLevel(config.logRequests() ? Level.INFO : Level.OFF);
      }
      return;
    }
    var context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    Encoder<ILoggingEvent> encoder;
    if ("json".equals(config.logFormat())) {
      var json = new JsonEncoder();
      json.setContext(context);
      json.setWithFormattedMessage(true); // the message with its arguments in place
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.start();
      encoder = json;
    } else {
      var pattern = new PatternLayoutEncoder();
      pattern.setContext(context);
      pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%thread] %-5level %logger{36} - %msg%n");
      pattern.start();
      encoder = pattern;
    }
    var console = new ConsoleAppender<ILoggingEvent>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();
    // chatty libraries: warnings only, unless LOG_LEVEL names them
    for (var quiet : List.of("org.xnio", "io.undertow", "com.zaxxer.hikari", "org.jboss")) {
      context.getLogger(quiet).setLevel(Level.WARN);
    }
    context.getLogger(IoThreadWorkers.ACCESS_LOGGER)
        .setLevel(config.logRequests() ? Level.INFO : Level.OFF);
    ServerConfig.logLevels(config.logLevel()).forEach((name, level) -> context
        .getLogger(name.isEmpty() ? Logger.ROOT_LOGGER_NAME : name)
        .setLevel(Level.toLevel(level)));
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);
  }
}
