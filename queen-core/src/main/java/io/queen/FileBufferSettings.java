package io.queen;

import java.nio.file.Path;
import java.util.ArrayList;

/**
 * The durable file buffer: where pushes go while PostgreSQL is unreachable or push maintenance is
 * on, until they replay in order (docs/operations.md). Immutable.
 *
 * @param directory where its segment files live; created if missing, and must be writable. One
 *     process at a time: a second one on the same directory is refused.
 * @param fsync whether a push is answered {@code buffered} only once its record is on disk
 *     (fsync, group-committed across concurrent pushes). Off, an answered push survives a crash of
 *     the process but not of the machine.
 * @param maxBytes the most the buffer holds on disk; beyond it pushes that would be buffered are
 *     refused with {@link io.queen.error.OverloadedException} (503)
 */
public record FileBufferSettings(Path directory, boolean fsync, long maxBytes) {
  /** 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  /** The smallest buffer: one segment of the largest record a default server accepts. */
  public static final long MIN_MAX_BYTES = 1L << 20;

  /**
   * Checks the settings (the directory itself is checked when the engine starts).
   *
   * @param directory where its segment files live; not null
   * @param fsync whether a push is answered {@code buffered} only once its record is on disk
   * @param maxBytes the most the buffer holds on disk, at least {@link #MIN_MAX_BYTES}
   * @throws IllegalArgumentException naming every problem at once
   */
  public FileBufferSettings {
    var problems = new ArrayList<String>();
    if (directory == null) {
      problems.add("the file buffer's directory is required");
    }
    if (maxBytes < MIN_MAX_BYTES) {
      problems.add("the file buffer's maxBytes must be at least " + MIN_MAX_BYTES + ", was "
          + maxBytes);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * fsync on, 1 GiB.
   *
   * @param directory where its segment files live; not null
   * @return settings with fsync on and {@link #DEFAULT_MAX_BYTES}
   * @throws IllegalArgumentException when {@code directory} is null
   */
  public static FileBufferSettings at(Path directory) {
    return new FileBufferSettings(directory, true, DEFAULT_MAX_BYTES);
  }
}
