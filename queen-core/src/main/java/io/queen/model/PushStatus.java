package io.queen.model;

/** What became of one pushed item. */
public enum PushStatus {
  /** Stored and committed. */
  QUEUED,
  /** Not stored: the partition already holds a message with this transaction id. */
  DUPLICATE,
  /** Not stored; {@link PushResult#error()} says why (for example the queue's {@code maxSize}). */
  FAILED,
  /**
   * On disk in the file buffer (PostgreSQL unreachable, or push maintenance on): stored in
   * PostgreSQL when the buffer replays, in order, as its transaction id's message (a replayed
   * item that already committed is a duplicate, not a second copy).
   */
  BUFFERED;

  /**
   * The wire name: {@code queued}, {@code duplicate}, {@code failed}.
   *
   * @return the constant's name in lower case ({@code buffered} for {@link #BUFFERED})
   */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
