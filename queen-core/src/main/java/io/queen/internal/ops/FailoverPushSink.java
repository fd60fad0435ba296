package io.queen.internal.ops;

import io.queen.FileBufferSettings;
import io.queen.error.DatabaseUnavailableException;
import io.queen.error.QueenException;
import io.queen.error.ShutdownException;
import io.queen.internal.buffer.FileBuffer;
import io.queen.internal.buffer.RecordCodec;
import io.queen.internal.concurrent.NamedThreadFactory;
import io.queen.internal.maintenance.MaintenanceModes;
import io.queen.internal.runtime.EngineContext;
import io.queen.json.JsonBuilder;
import io.queen.model.BufferStatus;
import io.queen.model.PushResult;
import io.queen.model.PushStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PushSink} that keeps accepting pushes while PostgreSQL is away: a push goes to the
 * {@link DatabasePushSink} unless push maintenance is on, the database was found unreachable, or
 * one of its partitions still has buffered pushes waiting (so that nothing overtakes them); a push
 * the database fails for a database reason (unreachable, connection lost, shutting down) is
 * buffered instead. Buffered pushes answer {@code buffered} once on disk, and one thread
 * ({@code queen-buffer-replay}) stores them in PostgreSQL in the order they were buffered, one
 * transaction at a time, when the database answers and maintenance is off. Thread-safe.
 */
public final class FailoverPushSink implements PushSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverPushSink.class);
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final EngineContext context;
  private final DatabasePushSink database;
  private final MaintenanceModes modes;
  private final HealthCheck health;
  private final FileBuffer buffer;
  private final ConcurrentHashMap<String, AtomicLong> pendingByPartition = new ConcurrentHashMap<>();
  private final AtomicLong pendingPushes = new AtomicLong();
  private final AtomicLong pendingMessages = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final Thread replay;
  private final Object wake = new Object();
  private final BooleanSupplier schemaReady;
  private volatile boolean healthy;
  private volatile boolean replaying;
  private volatile boolean running = true;

  /**
   * Opens the buffer (counting what an earlier process left in it) and starts the replay.
   *
   * @throws UncheckedIOException when the buffer's directory cannot be used
   */
  public FailoverPushSink(EngineContext context, DatabasePushSink database,
      MaintenanceModes modes, HealthCheck health, FileBufferSettings settings,
      BooleanSupplier schemaReady) {
    this.context = context;
    this.schemaReady = schemaReady;
    this.healthy = schemaReady.getAsBoolean();
    this.database = database;
    this.modes = modes;
    this.health = health;
    try {
      this.buffer = FileBuffer.open(settings, this::recovered);
    } catch (IOException e) {
      throw new UncheckedIOException("file buffer: " + e.getMessage(), e);
    }
    if (pendingPushes.get() > 0) {
      LOG.info("file buffer {}: {} push(es), {} message(s) left by an earlier run, to replay",
          buffer.directory(), pendingPushes.get(), pendingMessages.get());
    }
    this.replay = new NamedThreadFactory("queen-buffer-replay").newThread(this::replayLoop);
    replay.start();
  }

  private void recovered(byte[] record) {
    try {
      counted(RecordCodec.decode(record), 1);
    } catch (IOException e) {
      LOG.error("file buffer: an intact record cannot be read ({}); the replay skips it",
          e.getMessage());
    }
  }

  private void counted(PreparedPush push, int sign) {
    pendingPushes.addAndGet(sign);
    pendingMessages.addAndGet(sign * (long) push.items().size());
    for (var item : push.items()) {
      var key = key(item.queue(), item.partitionOrDefault());
      if (sign > 0) {
        pendingByPartition.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
      } else {
        var n = pendingByPartition.get(key);
        if (n != null && n.decrementAndGet() <= 0) {
          pendingByPartition.remove(key, n);
        }
      }
    }
  }

  private static String key(String queue, String partition) {
    return queue + '\u0000' + partition;
  }

  @Override
  public CompletableFuture<List<PushResult>> push(PreparedPush push) {
    if (modes.pushPaused() || !healthy || waitsBehindBuffered(push)) {
      return buffer(push);
    }
    return database.push(push).exceptionallyCompose(e -> {
      var cause = unwrap(e);
      if (!(cause instanceof DatabaseUnavailableException)) {
        return CompletableFuture.failedFuture(e);
      }
      unhealthy(cause);
      return buffer(push);
    });
  }

  private boolean waitsBehindBuffered(PreparedPush push) {
    if (pendingByPartition.isEmpty()) {
      return false;
    }
    for (var item : push.items()) {
      if (pendingByPartition.containsKey(key(item.queue(), item.partitionOrDefault()))) {
        return true;
      }
    }
    return false;
  }

  private void unhealthy(Throwable why) {
    if (healthy) {
      healthy = false;
      LOG.warn("database unreachable ({}): pushes go to the file buffer {} until it answers",
          why.getMessage(), buffer.directory());
    }
    signal();
  }

  /** Any thread: on disk, then answered {@code buffered}; counted before, so later pushes of its partitions queue behind it. */
  private CompletableFuture<List<PushResult>> buffer(PreparedPush push) {
    counted(push, 1);
    return buffer.append(RecordCodec.encode(push)).handle((v, e) -> {
      if (e != null) {
        counted(push, -1);
        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
      }
      var results = new ArrayList<PushResult>(push.items().size());
      for (int i = 0; i < push.items().size(); i++) {
        results.add(PushOperation.result(push, i, PushStatus.BUFFERED, push.messageIds()[i],
            null, null));
      }
      return results;
    });
  }

  /** Push maintenance changed, or the flags were read: the replay may go on. */
  public void signal() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void pause(long millis) throws InterruptedException {
    synchronized (wake) {
      wake.wait(millis);
    }
  }

  private void replayLoop() {
    var reader = buffer.reader();
    var batch = new ArrayList<PreparedPush>();
    FileBuffer.Position end = null;
    long backoff = 100;
    try {
      while (running) {
        if (modes.pushPaused()) {
          replaying = false;
          pause(250);
          continue;
        }
        if (!healthy) {
          replaying = false;
          // not before the schema is up to date: a replay into missing tables would refuse all
          if (!schemaReady.getAsBoolean() || !health.check().join()) {
            pause(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            continue;
          }
          healthy = true;
          backoff = 100;
          LOG.info("database answers again: pushes go to it, the file buffer replays ({} "
              + "message(s) waiting)", pendingMessages.get());
        }
        if (batch.isEmpty()) {
          try {
            end = read(reader, batch);
          } catch (IOException e) {
            // what was read so far is stored; the reader goes on where it stopped
            LOG.error("file buffer replay: reading the buffer failed ({}); trying again in 1 s",
                e.getMessage());
            end = reader.position(); // after the last record read whole
            if (batch.isEmpty()) {
              pause(1_000);
              continue;
            }
          }
          if (batch.isEmpty()) {
            replaying = false;
            if (end != null) {
              buffer.drained(end); // only undecodable records were read
            }
            buffer.awaitWrite(250);
            continue;
          }
        }
        replaying = true;
        try {
          store(batch);
          buffer.drained(end);
          for (var push : batch) {
            counted(push, -1);
          }
          batch.clear();
        } catch (DatabaseUnavailableException e) {
          unhealthy(e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ShutdownException e) {
      LOG.debug("file buffer replay stops: the engine is closing");
    } catch (RuntimeException e) {
      LOG.error("file buffer replay stopped: {} (what is left replays at the next start)",
          e.toString(), e);
    } finally {
      replaying = false;
      reader.close();
    }
  }

  /** Up to a transaction's worth of records into {@code batch}; the position after them. */
  private FileBuffer.Position read(FileBuffer.Reader reader, List<PreparedPush> batch)
      throws IOException {
    int items = 0;
    // a transaction's worth per lane
    int max = context.config().maxBatchItems() * Math.max(1, context.config().maxConcurrentBatches());
    FileBuffer.Position end = null;
    while (items < max) {
      var frame = reader.next();
      if (frame == null) {
        break;
      }
      end = reader.position();
      try {
        var push = RecordCodec.decode(frame.payload());
        batch.add(push);
        items += push.items().size();
      } catch (IOException e) {
        LOG.error("file buffer: an intact record at {} cannot be read ({}); skipped",
            frame.offset(), e.getMessage());
      }
    }
    return end;
  }

  /**
   * Stores the batch: in lanes by partition, one transaction per lane, the lanes at once (a
   * partition is always in the same lane, and each lane keeps the buffer's order, so no push
   * overtakes an earlier one of its partitions); a batch with a push that spans lanes goes in one
   * transaction. A lane that fails for a reason other than the database's absence is stored push
   * by push, so that a push PostgreSQL refuses is set aside, not the lane.
   *
   * @throws DatabaseUnavailableException when any lane could not be stored: the whole batch is
   *     stored again later (lanes that committed come back as duplicates)
   */
  private void store(List<PreparedPush> batch) {
    var lanes = lanes(batch, Math.max(1, context.config().maxConcurrentBatches()));
    var submitted = new ArrayList<CompletableFuture<List<List<PushResult>>>>(lanes.size());
    for (var lane : lanes) {
      submitted.add(context.single(() -> database.commitInOrder(lane)));
    }
    DatabaseUnavailableException unavailable = null;
    for (int i = 0; i < lanes.size(); i++) {
      try {
        settle(lanes.get(i), join(submitted.get(i)));
      } catch (DatabaseUnavailableException e) {
        unavailable = e;
      } catch (ShutdownException e) {
        throw e;
      } catch (QueenException e) {
        if (unavailable == null) {
          storeOneByOne(lanes.get(i), e);
        }
      }
    }
    if (unavailable != null) {
      throw unavailable;
    }
  }

  /** The batch split by partition into at most {@code n} lanes, or whole when a push spans two. */
  private static List<List<PreparedPush>> lanes(List<PreparedPush> batch, int n) {
    if (n == 1) {
      return List.of(batch);
    }
    var lanes = new ArrayList<List<PreparedPush>>(n);
    for (int i = 0; i < n; i++) {
      lanes.add(new ArrayList<>());
    }
    for (var push : batch) {
      int lane = -1;
      for (var item : push.items()) {
        int l = Math.floorMod(key(item.queue(), item.partitionOrDefault()).hashCode(), n);
        if (lane >= 0 && l != lane) {
          return List.of(batch);
        }
        lane = l;
      }
      lanes.get(Math.max(lane, 0)).add(push);
    }
    lanes.removeIf(List::isEmpty);
    return lanes;
  }

  private void storeOneByOne(List<PreparedPush> lane, QueenException why) {
    LOG.warn("file buffer replay: a batch of {} push(es) failed ({}); storing them one by one",
        lane.size(), why.getMessage());
    for (var push : lane) {
      try {
        settle(List.of(push), join(context.single(() -> database.commitInOrder(List.of(push)))));
      } catch (DatabaseUnavailableException | ShutdownException unavailable) {
        throw unavailable;
      } catch (QueenException refused) {
        for (int i = 0; i < push.items().size(); i++) {
          reject(push, i, refused.getMessage());
        }
      }
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShutdownException("interrupted while replaying the file buffer");
    } catch (ExecutionException e) {
      var cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new CompletionException(cause);
    }
  }

  private void settle(List<PreparedPush> pushes, List<List<PushResult>> results) {
    for (int p = 0; p < pushes.size(); p++) {
      var list = results.get(p);
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).status() == PushStatus.FAILED) {
          reject(pushes.get(p), i, list.get(i).error());
        } else {
          replayed.incrementAndGet();
        }
      }
    }
  }

  /** An item PostgreSQL refused for good (the queue gone, its maxSize, no key): kept, reported. */
  private void reject(PreparedPush push, int i, String error) {
    rejected.incrementAndGet();
    var item = push.items().get(i);
    LOG.error("file buffer replay: message {} (transactionId {}) of queue '{}' partition '{}' "
        + "was refused: {}; kept in {}", push.messageIds()[i], push.transactionIds()[i],
        item.queue(), item.partitionOrDefault(), error, buffer.directory().resolve("rejected.jsonl"));
    var w = new JsonBuilder(256).beginObject()
        .name("at").value(context.now().toString())
        .name("queue").value(item.queue()).name("partition").value(item.partitionOrDefault())
        .name("transactionId").value(push.transactionIds()[i])
        .name("messageId").value(push.messageIds()[i].toString())
        .name("traceId").value(item.traceId())
        .name("encrypted").value(push.sealed()[i])
        .name("payload").jsonValue(push.payloads()[i])
        .name("error").value(error).endObject();
    try {
      Files.writeString(buffer.directory().resolve("rejected.jsonl"), w + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.error("could not keep the refused message in rejected.jsonl: {}", e.getMessage());
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Any thread. */
  public BufferStatus status() {
    return new BufferStatus(true, buffer.directory().toString(), pendingPushes.get(),
        pendingMessages.get(), buffer.bytesOnDisk(), buffer.maxBytes(), replayed.get(),
        rejected.get(), buffer.damagedBytes(), healthy, replaying);
  }

  /** Whether pushes are sent to PostgreSQL now (false while it is found unreachable). */
  public boolean databaseHealthy() {
    return healthy;
  }

  /**
   * Stops the replay (what is left replays at the next start) and closes the buffer after writing
   * what was appended. Bounded.
   */
  @Override
  public void close() {
    running = false;
    signal();
    replay.interrupt();
    try {
      replay.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    buffer.close();
  }
}
