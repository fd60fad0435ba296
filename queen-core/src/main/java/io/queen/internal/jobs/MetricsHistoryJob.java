package io.queen.internal.jobs;

import io.queen.internal.admin.MinuteRecorder;
import io.queen.internal.db.Jdbc;
import io.queen.internal.runtime.EngineContext;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what this instance did since its last run into the per-minute history
 * ({@code worker_metrics}, {@code queue_metrics}), adding to the current minute's row, every
 * {@link #INTERVAL}; removes minutes older than the history retention once an hour. Every
 * instance runs it for itself. Counts a failed run could not write are kept and written by the
 * next run, so a database outage loses no minute it outlives.
 */
public final class MetricsHistoryJob implements Job<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsHistoryJob.class);
  public static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final EngineContext context;
  private final MinuteRecorder recorder;
  private final Supplier<Map<String, Integer>> parked;
  private final IntSupplier poolActive;
  private final String hostname;
  private final int port;
  private final String writeInstance;
  private final String writeQueues;
  private final String purge;
  private final Object lock = new Object();
  private List<MinuteRecorder.Counts> unwritten = new ArrayList<>();
  private long unwrittenErrors;
  private int parkedMax;
  private final Map<String, Integer> parkedMaxByQueue = new HashMap<>();
  private int poolActiveMax;
  private OffsetDateTime lastPurge;
  private long[] lastCpu;
  private long lastCpuAt;

  /**
   * @param parked long polls parked now per queue (sampled each run; the minute keeps the
   *     greatest)
   * @param poolActive database threads busy now
   * @param port the HTTP port this instance serves on, 0 when embedded
   */
  public MetricsHistoryJob(EngineContext context, MinuteRecorder recorder,
      Supplier<Map<String, Integer>> parked,
      IntSupplier poolActive, int port) {
    this.context = context;
    this.recorder = recorder;
    this.parked = parked;
    this.poolActive = poolActive;
    this.hostname = hostname();
    this.port = port;
    this.writeInstance = context.sql("write_instance_minute");
    this.writeQueues = context.sql("write_queue_minutes");
    this.purge = context.sql("purge_metrics");
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }

  @Override
  public String name() {
    return "metrics-history";
  }

  @Override
  public Duration interval() {
    return INTERVAL;
  }

  @Override
  public boolean durable() {
    return false; // a lost last few seconds of history after a crash is harmless
  }

  @Override
  public Integer skipped() {
    return 0;
  }

  @Override
  public Integer run(Connection c) throws SQLException {
    List<MinuteRecorder.Counts> counts;
    long errors;
    Map<String, Integer> parkedCopy;
    synchronized (lock) {
      counts = merge(unwritten, recorder.drain());
      errors = unwrittenErrors + recorder.drainErrors();
      unwritten = counts;
      unwrittenErrors = errors;
      var parkedNow = parked.get();
      parkedMax = Math.max(parkedMax, parkedNow.values().stream().mapToInt(Integer::intValue).sum());
      parkedNow.forEach((q, n) -> parkedMaxByQueue.merge(q, n, Math::max));
      for (var q : parkedMaxByQueue.keySet()) {
        if (counts.stream().noneMatch(k -> k.queue().equals(q))) {
          counts = merge(counts, List.of(MinuteRecorder.Counts.zero(q)));
        }
      }
      parkedCopy = new HashMap<>(parkedMaxByQueue);
      poolActiveMax = Math.max(poolActiveMax, poolActive.getAsInt());
    }
    var now = context.now();
    var bucket = now.truncatedTo(ChronoUnit.MINUTES);
    var total = MinuteRecorder.Counts.zero("");
    for (var q : counts) {
      total = total.plus(q);
    }
    double[] cpu = cpuPercent();
    var memory = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    Jdbc.update(c, writeInstance, bucket, context.instanceId(), hostname, port,
        total.pushRequests(), total.pushMessages(), total.popRequests(), total.popEmpty(),
        total.popMessages(), total.ackRequests(), total.ackSuccess(), total.ackFailed(),
        total.dlqMessages(), total.transactions(), errors, total.lagSumMs(), total.lagCount(),
        total.lagMaxMs(), parkedMax, context.config().dbThreads(), poolActiveMax, cpu[0], cpu[1],
        rssMb(), memory.getUsed() / 1048576.0);
    if (!counts.isEmpty()) {
      int n = counts.size();
      var queues = new String[n];
      long[][] cols = new long[12][n];
      var parkedCol = new int[n];
      for (int i = 0; i < n; i++) {
        var q = counts.get(i);
        queues[i] = q.queue();
        long[] v = {q.pushRequests(), q.pushMessages(), q.popRequests(), q.popEmpty(),
            q.popMessages(), q.ackRequests(), q.ackSuccess(), q.ackFailed(), q.transactions(),
            q.lagSumMs(), q.lagCount(), q.lagMaxMs()};
        for (int k = 0; k < v.length; k++) {
          cols[k][i] = v[k];
        }
        parkedCol[i] = parkedCopy.getOrDefault(q.queue(), 0);
      }
      var args = new ArrayList<Object>();
      args.add(bucket);
      args.add(context.instanceId());
      args.add(Jdbc.texts(List.of(queues)));
      for (var col : cols) {
        args.add(Jdbc.longs(col));
      }
      args.add(Jdbc.ints(parkedCol));
      Jdbc.update(c, writeQueues, args.toArray());
    }
    if (lastPurge == null || now.isAfter(lastPurge.plus(PURGE_EVERY))) {
      var before = now.minus(context.config().lifecycle().historyRetention());
      long gone = Jdbc.scalarLong(c, purge, before, before);
      lastPurge = now;
      if (gone > 0) {
        LOG.debug("removed {} minute(s) of metrics history older than {}", gone, before);
      }
    }
    return counts.size();
  }

  @Override
  public void succeeded(Integer queues) {
    synchronized (lock) {
      unwritten = new ArrayList<>();
      unwrittenErrors = 0;
      parkedMax = 0;
      parkedMaxByQueue.clear();
      poolActiveMax = 0;
    }
  }

  private static List<MinuteRecorder.Counts> merge(List<MinuteRecorder.Counts> a,
      List<MinuteRecorder.Counts> b) {
    if (a.isEmpty()) {
      return b;
    }
    var out = new ArrayList<>(a);
    for (var c : b) {
      boolean merged = false;
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).queue().equals(c.queue())) {
          out.set(i, out.get(i).plus(c));
          merged = true;
          break;
        }
      }
      if (!merged) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * {user, system} CPU of this process since the last run, % of one core: from
   * {@code /proc/self/stat} (in USER_HZ, 100 per second on Linux); elsewhere the JVM's process
   * CPU time, all counted as user.
   */
  private double[] cpuPercent() {
    long at = System.nanoTime();
    long[] now = procTimes();
    if (now == null) {
      var os = ManagementFactory.getOperatingSystemMXBean();
      long cpu = os instanceof com.sun.management.OperatingSystemMXBean sun
          ? sun.getProcessCpuTime() : -1;
      now = cpu < 0 ? null : new long[] {cpu, 0};
    }
    double[] pct = {0, 0};
    if (now != null && lastCpu != null && at > lastCpuAt) {
      double elapsed = at - lastCpuAt;
      pct[0] = 100.0 * (now[0] - lastCpu[0]) / elapsed;
      pct[1] = 100.0 * (now[1] - lastCpu[1]) / elapsed;
    }
    lastCpu = now;
    lastCpuAt = at;
    return pct;
  }

  /** {user, system} nanoseconds of CPU from /proc/self/stat, or null when there is none. */
  private static long[] procTimes() {
    try {
      var stat = Files.readString(Path.of("/proc/self/stat"));
      // fields after the command (which may hold spaces) close with ')'; utime, stime are 14, 15
      var f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long tick = 10_000_000L; // 1 / USER_HZ (100) in nanoseconds
      return new long[] {Long.parseLong(f[11]) * tick, Long.parseLong(f[12]) * tick};
    } catch (Exception e) {
      return null;
    }
  }

  private static double rssMb() {
    try {
      for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (Exception e) {
      // not Linux: unknown
    }
    return 0;
  }
}
