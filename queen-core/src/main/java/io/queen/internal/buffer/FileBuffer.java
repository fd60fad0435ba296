package io.queen.internal.buffer;

import io.queen.FileBufferSettings;
import io.queen.error.OverloadedException;
import io.queen.internal.concurrent.NamedThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of records in segment files ({@code seg-<16 hex digits>.qbuf}), read back in
 * order by one reader that records how far it got ({@code drain.pos}). Appends from any thread are
 * written by one thread ({@code queen-buffer-writer}) in groups: one write and, with fsync on, one
 * {@code force} for every append waiting at that moment, and each append's future completes only
 * after that. A new process never appends to an old segment (its tail may be torn); it starts the
 * next one. Thread-safe.
 */
public final class FileBuffer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileBuffer.class);
  private static final String CHECKPOINT = "drain.pos";
  private static final int MAX_GROUP = 4096;

  /** A position in the log: the segment and the offset of the next frame to read there. */
  public record Position(long segment, long offset) {}

  private record Append(byte[] record, ByteBuffer frame, CompletableFuture<Void> done) {}

  private final Path dir;
  private final boolean fsync;
  private final long maxBytes;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final LinkedBlockingQueue<Append> appends = new LinkedBlockingQueue<>();
  private final AtomicLong bytesOnDisk = new AtomicLong();
  private final AtomicLong damagedBytes = new AtomicLong();
  private final Thread writer;
  private final Object readable = new Object();
  private volatile boolean running = true;
  private volatile long writerSegment;
  private volatile long durableEnd;
  private FileChannel current; // writer thread only
  private Position drained;    // reader side, under this

  private FileBuffer(FileBufferSettings settings) throws IOException {
    this.dir = settings.directory().toAbsolutePath().normalize();
    this.fsync = settings.fsync();
    this.maxBytes = settings.maxBytes();
    this.segmentBytes = Math.max(FileBufferSettings.MIN_MAX_BYTES / 2,
        Math.min(64L << 20, maxBytes / 8));
    Files.createDirectories(dir);
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new IOException("file buffer directory " + dir + " is not a writable directory");
    }
    this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      l = null;
    } catch (IOException e) {
      lockChannel.close();
      throw e;
    }
    if (l == null) {
      lockChannel.close();
      throw new IOException("file buffer directory " + dir + " is in use by another process");
    }
    this.lock = l;
    this.writer = new NamedThreadFactory("queen-buffer-writer").newThread(this::writeLoop);
  }

  /**
   * Opens the buffer in {@code settings.directory()}, and hands {@code recovered} every intact
   * record that was not yet drained, in order, before it returns. Damaged data is reported
   * (logged) and stepped over.
   *
   * @throws IOException when the directory cannot be created or written, or another process holds
   *     it
   */
  public static FileBuffer open(FileBufferSettings settings, Consumer<byte[]> recovered)
      throws IOException {
    var b = new FileBuffer(settings);
    try {
      b.recover(recovered);
    } catch (IOException | RuntimeException e) {
      b.releaseLock();
      throw e;
    }
    b.writer.start();
    return b;
  }

  private void recover(Consumer<byte[]> recovered) throws IOException {
    drained = readCheckpoint();
    var segments = segments();
    long total = 0;
    for (long seg : segments) {
      if (seg < drained.segment()) {
        Files.deleteIfExists(segmentPath(seg));
      } else {
        total += Files.size(segmentPath(seg));
      }
    }
    bytesOnDisk.set(total);
    long last = segments.isEmpty() ? drained.segment() : Math.max(segments.last(), drained.segment());
    // probe: a directory that cannot take a file is refused at start, not at the first outage
    writerSegment = last + 1;
    current = FileChannel.open(segmentPath(writerSegment), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    durableEnd = 0;
    var reader = reader();
    for (var f = reader.next(); f != null; f = reader.next()) {
      recovered.accept(f.payload());
    }
  }

  /** The directory, as given. */
  public Path directory() {
    return dir;
  }

  public boolean fsync() {
    return fsync;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Bytes the segment files take, drained parts of the oldest segment included. */
  public long bytesOnDisk() {
    return bytesOnDisk.get();
  }

  /** Bytes stepped over because they were not intact frames, since start. */
  public long damagedBytes() {
    return damagedBytes.get();
  }

  /**
   * Any thread: completes once the record is written (and with fsync on, on disk); fails with
   * {@link OverloadedException} when the buffer is full or the write failed (the record is then
   * not in the buffer).
   */
  public CompletableFuture<Void> append(byte[] record) {
    var done = new CompletableFuture<Void>();
    if (!running) {
      done.completeExceptionally(new OverloadedException("the file buffer is closed",
          Duration.ofSeconds(1)));
      return done;
    }
    appends.add(new Append(record, Frames.frame(record), done));
    return done;
  }

  private void writeLoop() {
    var group = new ArrayList<Append>();
    while (running || !appends.isEmpty()) {
      try {
        var first = appends.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        appends.drainTo(group, MAX_GROUP - 1);
        write(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("file buffer writer: unexpected failure", e);
        fail(group, "file buffer write failed: " + e);
      } finally {
        group.clear();
      }
    }
    fail(new ArrayList<>(appends), "the file buffer is closed");
    try {
      current.force(true);
      current.close();
    } catch (IOException e) {
      LOG.warn("closing the file buffer segment failed: {}", e.getMessage());
    }
  }

  private void write(List<Append> group) {
    var accepted = new ArrayList<Append>(group.size());
    long bytes = 0;
    for (var a : group) {
      long size = a.frame().remaining();
      if (bytesOnDisk.get() + bytes + size > maxBytes) {
        a.done().completeExceptionally(new OverloadedException(String.format(Locale.ROOT,
            "file buffer full (%,d of %,d bytes in %s): push not accepted, retry later",
            bytesOnDisk.get() + bytes, maxBytes, dir), Duration.ofSeconds(1)));
      } else {
        accepted.add(a);
        bytes += size;
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    long start = durableEnd;
    try {
      var frames = new ByteBuffer[accepted.size()];
      for (int i = 0; i < frames.length; i++) {
        frames[i] = accepted.get(i).frame();
      }
      long left = bytes;
      while (left > 0) {
        left -= current.write(frames);
      }
      if (fsync) {
        current.force(false);
      }
    } catch (IOException e) {
      LOG.error("file buffer write failed ({}): {} push(es) refused", e.getMessage(),
          accepted.size());
      undo(start);
      fail(accepted, "file buffer write failed (" + e.getMessage() + "): push not accepted");
      return;
    }
    bytesOnDisk.addAndGet(bytes);
    durableEnd = start + bytes;
    synchronized (readable) {
      readable.notifyAll();
    }
    for (var a : accepted) {
      a.done().complete(null);
    }
    if (durableEnd >= segmentBytes) {
      rotate();
    }
  }

  /** After a failed write: the segment ends where the last good frame ended, or a new one begins. */
  private void undo(long end) {
    try {
      current.truncate(end);
      current.position(end);
    } catch (IOException e) {
      LOG.warn("could not cut the failed write off the segment ({}): starting a new one",
          e.getMessage());
      rotate();
    }
  }

  private void rotate() {
    try {
      current.force(true);
      current.close();
    } catch (IOException e) {
      LOG.warn("closing a file buffer segment failed: {}", e.getMessage());
    }
    for (int attempt = 0; ; attempt++) {
      try {
        var next = writerSegment + 1;
        current = FileChannel.open(segmentPath(next), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        durableEnd = 0;
        writerSegment = next; // after durableEnd: a reader never sees the new one with an old end
        return;
      } catch (IOException e) {
        if (attempt >= 2) {
          throw new UncheckedIOException("cannot start a new file buffer segment", e);
        }
      }
    }
  }

  private static void fail(List<Append> group, String message) {
    for (var a : group) {
      a.done().completeExceptionally(new OverloadedException(message, Duration.ofSeconds(1)));
    }
  }

  /**
   * A reader from the drained position; it sees every record written so far and those written
   * later. Only one reader should record progress ({@link #drained}).
   */
  public Reader reader() {
    synchronized (this) {
      return new Reader(drained);
    }
  }

  /**
   * The reader's thread: everything before {@code p} is stored in PostgreSQL; older segments are
   * deleted and the position is recorded, so a restart replays from there (what it replays twice
   * after a crash is a duplicate by transaction id).
   */
  public void drained(Position p) {
    synchronized (this) {
      drained = p;
    }
    try {
      for (long seg : segments()) {
        if (seg < p.segment()) {
          var path = segmentPath(seg);
          long size = Files.size(path);
          Files.deleteIfExists(path);
          bytesOnDisk.addAndGet(-size);
        }
      }
      writeCheckpoint(p);
    } catch (IOException e) {
      LOG.warn("recording the file buffer's drained position failed ({}): a restart replays "
          + "more, as duplicates", e.getMessage());
    }
  }

  /** Waits up to {@code millis} for a write; returns at once when one happened meanwhile. */
  public void awaitWrite(long millis) throws InterruptedException {
    synchronized (readable) {
      readable.wait(millis);
    }
  }

  /** Reads frames in order across segments, stepping over damaged bytes. Not thread-safe. */
  public final class Reader {
    private long segment;
    private long offset;
    private FileChannel channel;
    private long channelSegment = -1;

    private Reader(Position from) {
      this.segment = from.segment();
      this.offset = from.offset();
    }

    /** Where the next frame would be read. */
    public Position position() {
      return new Position(segment, offset);
    }

    /** The next intact frame, or null when everything written so far has been read. */
    public Frames.Frame next() throws IOException {
      while (true) {
        long writing = writerSegment;
        long end = durableEnd;
        if (segment > writing) {
          return null;
        }
        boolean open = segment == writing;
        if (!open && !Files.exists(segmentPath(segment))) {
          segment = nextSegment(segment);
          offset = 0;
          continue;
        }
        var ch = channel(segment);
        long limit = open ? (writerSegment == segment ? end : ch.size()) : ch.size();
        if (offset >= limit) {
          if (open && writerSegment == segment) {
            return null;
          }
          segment = nextSegment(segment);
          offset = 0;
          continue;
        }
        var f = Frames.readAt(ch, segment, offset, limit);
        if (f != null) {
          offset = f.end();
          return f;
        }
        long next = Frames.nextFrame(ch, segment, offset, limit);
        damagedBytes.addAndGet(next - offset);
        LOG.error("file buffer: {} damaged byte(s) in {} at offset {} skipped ({}); what follows "
            + "is replayed", next - offset, segmentPath(segment).getFileName(), offset,
            next == limit ? "a torn or corrupt tail" : "a corrupt record");
        offset = next;
      }
    }

    private long nextSegment(long after) throws IOException {
      for (long s : segments()) {
        if (s > after) {
          return s;
        }
      }
      return Math.max(after + 1, writerSegment);
    }

    private FileChannel channel(long seg) throws IOException {
      if (channelSegment != seg) {
        close();
        channel = FileChannel.open(segmentPath(seg), StandardOpenOption.READ);
        channelSegment = seg;
      }
      return channel;
    }

    public void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          LOG.debug("closing a buffer segment reader failed", e);
        }
        channel = null;
        channelSegment = -1;
      }
    }
  }

  private TreeSet<Long> segments() throws IOException {
    var out = new TreeSet<Long>();
    try (var files = Files.list(dir)) {
      files.forEach(p -> {
        var name = p.getFileName().toString();
        if (name.startsWith("seg-") && name.endsWith(".qbuf") && name.length() == 25) {
          try {
            out.add(Long.parseUnsignedLong(name.substring(4, 20), 16));
          } catch (NumberFormatException e) {
            LOG.warn("file buffer: ignoring {}", name);
          }
        }
      });
    }
    return out;
  }

  Path segmentPath(long seg) {
    return dir.resolve(String.format(Locale.ROOT, "seg-%016x.qbuf", seg));
  }

  private Position readCheckpoint() throws IOException {
    var path = dir.resolve(CHECKPOINT);
    if (!Files.exists(path)) {
      return new Position(0, 0);
    }
    var text = Files.readString(path, StandardCharsets.US_ASCII).trim();
    var parts = text.split(" ");
    try {
      return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (RuntimeException e) {
      LOG.error("file buffer: {} is unreadable ('{}'); replaying every segment (what was "
          + "drained before comes back as duplicates)", path, text);
      return new Position(0, 0);
    }
  }

  private void writeCheckpoint(Position p) throws IOException {
    var tmp = dir.resolve(CHECKPOINT + ".tmp");
    Files.writeString(tmp, p.segment() + " " + p.offset() + "\n", StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(CHECKPOINT), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Stops after writing what was appended (bounded by the caller's join), releases the lock. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    releaseLock();
  }

  private void releaseLock() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.debug("releasing the file buffer lock failed", e);
    }
  }
}
