package io.queen.client;

/** What the server did with one pushed item. */
public enum PushStatus {
  /** Stored and committed. */
  QUEUED,
  /** Its transaction id was already in the partition; nothing stored ({@code messageId} is the stored one's). */
  DUPLICATE,
  /** Kept in the server's durable file buffer while PostgreSQL is away; stored, in order, later. */
  BUFFERED,
  /** Refused (for example the queue's {@code maxSize}); {@link PushResult#error()} says why. */
  FAILED;

  static PushStatus of(String wire) {
    if (wire == null) {
      return FAILED;
    }
    switch (wire) {
      case "queued":
        return QUEUED;
      case "duplicate":
        return DUPLICATE;
      case "buffered":
        return BUFFERED;
      default:
        return FAILED;
    }
  }
}
