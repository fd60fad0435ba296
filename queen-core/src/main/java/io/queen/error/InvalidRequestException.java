package io.queen.error;

/**
 * A request was refused because one of its fields is missing or wrong. Nothing of the request was
 * stored. {@link #field()} names the offending field as the caller wrote it (for example
 * {@code items[3].traceId}); the message says what is wrong with it.
 */
public final class InvalidRequestException extends QueenException {
  /** The offending field, as the caller wrote it. */
  private final String field;

  /**
   * A refused request.
   *
   * @param field the offending field as the caller wrote it, for example {@code items[0].queue};
   *     not null
   * @param message what is wrong with it, naming the field and, where useful, the value
   */
  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  /**
   * The offending field, for example {@code items[0].queue}; never null.
   *
   * @return the field's name as the caller wrote it
   */
  public String field() {
    return field;
  }
}
