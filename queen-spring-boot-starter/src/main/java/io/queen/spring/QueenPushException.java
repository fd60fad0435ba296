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

  /** @param result the failed item's result */
  public QueenPushException(PushResult result) {
    super("push to " + result.queue() + " failed: " + result.error());
    this.result = result;
  }

  /** The failed item's result. */
  public PushResult result() {
    return result;
  }
}
