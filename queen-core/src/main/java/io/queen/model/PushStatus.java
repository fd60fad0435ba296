package io.queen.model;

/** What became of one pushed item. */
public enum PushStatus {
  /** Stored and committed. */
  QUEUED,
  /** Not stored: the partition already holds a message with this transaction id. */
  DUPLICATE,
  /** Not stored; {@link PushResult#error()} says why (for example the queue's {@code maxSize}). */
  FAILED;

  /** The wire name: {@code queued}, {@code duplicate}, {@code failed}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
