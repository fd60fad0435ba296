package io.queen.spring;

import io.queen.error.QueenException;
import io.queen.model.PushResult;

/**
 * A {@link QueenTemplate} push that Queen did not store ({@link io.queen.model.PushStatus#FAILED},
 * for example a full {@code maxSize} queue). Unchecked, so a {@code @Transactional} method that
 * lets it through rolls back with it.
 */
public class QueenPushException extends QueenException {
  private static final long serialVersionUID = 1L;
  private final transient PushResult result;

  /**
   * An exception whose message names the queue and Queen's error.
   *
   * @param result the failed item's result
   */
  public QueenPushException(PushResult result) {
    super("push to " + result.queue() + " failed: " + result.error());
    this.result = result;
  }

  /**
   * The failed item's result.
   *
   * @return the result, with status {@code FAILED}, the queue and the error; null on an
   *     exception that has been deserialised (the result is not serialised)
   */
  public PushResult result() {
    return result;
  }
}
