package io.queen.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.queen.QueueManager;
import io.queen.consumer.QueenConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link QueenListener} methods: one {@link QueenConsumer} per method, each with the
 * method's queue, group, partition, concurrency and batch.
 *
 * <p>Lifecycle: a {@link SmartLifecycle} in phase {@link #PHASE} (the last to start, the first to
 * stop). {@link #start()} runs when the application context has been refreshed, every bean
 * created; {@link #stop()} runs first when the context closes: it stops polling, lets every batch
 * being handled finish and be acked, and returns within {@code queen.listener.stop-timeout} (all
 * consumers stop at once); only then are beans destroyed, the {@link QueueManager} last of those
 * that use it.
 *
 * <p>Threads: {@link #start()} and {@link #stop()} are called by Spring on the thread that
 * refreshes or closes the context (any thread but a consumer thread may call them); the listener
 * methods run on the consumers' {@code queen-consumer-<queue>-N} threads.
 */
public class QueenListenerRegistry implements SmartLifecycle {
  /** The lifecycle phase: {@link SmartLifecycle#DEFAULT_PHASE}, so started last, stopped first. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE;
  private static final Logger LOG = LoggerFactory.getLogger(QueenListenerRegistry.class);

  private final QueueManager queen;
  private final ObjectMapper mapper;
  private final QueenListenerAnnotationBeanPostProcessor endpoints;
  private final QueenProperties.Listener settings;
  private final List<QueenConsumer> consumers = new ArrayList<>();
  private volatile boolean running;

  /**
   * @param queen the manager the consumers pop from and ack to
   * @param mapper converts payloads to the methods' parameter types
   * @param endpoints where the annotated methods were collected
   * @param settings {@code queen.listener.*}
   */
  public QueenListenerRegistry(QueueManager queen, ObjectMapper mapper,
      QueenListenerAnnotationBeanPostProcessor endpoints, QueenProperties.Listener settings) {
    this.queen = queen;
    this.mapper = mapper;
    this.endpoints = endpoints;
    this.settings = settings;
  }

  /**
   * The listener methods found in the context. Any thread.
   *
   * @return the endpoints the post-processor has collected, in the order the beans were
   *     initialised (whether or not the registry is running)
   */
  public List<QueenListenerEndpoint> endpoints() {
    return endpoints.endpoints();
  }

  /**
   * Starts one {@link QueenConsumer} per endpoint and logs what each consumes; does nothing when
   * already running. Called by Spring on the thread that refreshes the context, once every bean
   * is created (unless {@code queen.listener.auto-startup} is false), or by the application on
   * any thread but a consumer thread.
   *
   * @throws IllegalStateException naming the listener method when its consumer refuses a setting
   *     (a batch above {@link io.queen.model.PopRequest#MAX_BATCH}, a poll timeout that is not
   *     positive, a queue, partition or group name no pop would accept); the consumers already
   *     started are stopped first
   */
  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    for (var e : endpoints.endpoints()) {
      try {
        consumers.add(QueenConsumer.builder(queen, e.queue())
            .consumerGroup(e.group())
            .partition(e.partition())
            .concurrency(e.concurrency())
            .batch(e.batch())
            .waitTimeout(settings.getPollTimeout())
            .stopTimeout(settings.getStopTimeout())
            .handler(new ListenerMethodHandler(e, mapper))
            .start());
      } catch (RuntimeException refused) {
        // the consumers started so far must not outlive a startup that fails
        running = true;
        stop();
        throw new IllegalStateException("@QueenListener " + e.id() + " cannot start: "
            + refused.getMessage(), refused);
      }
      LOG.info("@QueenListener {} consumes {}{} (group {}, {} thread(s), batch {})", e.id(),
          e.queue(), e.partition() == null ? "" : " / " + e.partition(),
          e.group() == null ? "none: queue mode" : e.group(), e.concurrency(), e.batch());
    }
    running = true;
  }

  /**
   * Stops every consumer at once and waits for all, each bounded by its stop timeout. Each
   * consumer stops polling (a waiting pop is cancelled), lets the batch it is handling finish
   * and be acked, and interrupts its threads if they outlive {@code queen.listener.stop-timeout};
   * the closes run on daemon {@code queen-listener-stop} threads, and this method waits for them
   * at most the stop timeout plus 5 seconds (then logs a warning and returns). Does nothing when
   * not running. Called by Spring on the thread that closes the context, before any bean is
   * destroyed, or by the application on any thread but a consumer thread.
   */
  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    var closing = new ArrayList<CompletableFuture<Void>>();
    for (var c : consumers) {
      closing.add(CompletableFuture.runAsync(c::close, r -> {
        var t = new Thread(r, "queen-listener-stop");
        t.setDaemon(true);
        t.start();
      }));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(settings.getStopTimeout().plus(Duration.ofSeconds(5)).toMillis(),
              java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("stopping the @QueenListener consumers: {}", e.toString());
    }
    consumers.clear();
  }

  /**
   * Whether the consumers run. Any thread.
   *
   * @return true from {@link #start()} until {@link #stop()}
   */
  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Whether Spring starts the registry when the context has been refreshed.
   *
   * @return {@code queen.listener.auto-startup} (default true)
   */
  @Override
  public boolean isAutoStartup() {
    return settings.isAutoStartup();
  }

  /**
   * The lifecycle phase.
   *
   * @return {@link #PHASE}: started last, stopped first
   */
  @Override
  public int getPhase() {
    return PHASE;
  }

  /**
   * Messages the listener methods handled successfully, over the running consumers. Any thread.
   *
   * @return the messages whose method returned normally since the last {@link #start()}; 0 when
   *     not running ({@link #stop()} discards the consumers and their counts)
   */
  public synchronized long handledCount() {
    return consumers.stream().mapToLong(QueenConsumer::handledCount).sum();
  }

  /**
   * Messages whose listener method threw (or whose payload could not be converted). Any thread.
   *
   * @return the messages acked {@code failed} since the last {@link #start()}; 0 when not
   *     running ({@link #stop()} discards the consumers and their counts)
   */
  public synchronized long failedCount() {
    return consumers.stream().mapToLong(QueenConsumer::failedCount).sum();
  }
}
