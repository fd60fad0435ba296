package io.queen;

import io.queen.model.PopOutcome;
import io.queen.model.PopResult;
import java.util.concurrent.CompletableFuture;

/**
 * The future {@link QueueManager#pop} returns for a pop with a wait timeout. Besides completing on
 * its own (messages, or an empty {@link PopOutcome#TIMED_OUT} result at the timeout), it can be told
 * to end the wait early without losing a result: {@link #endWaitUnlessPopping}.
 *
 * <p>Why not {@link #cancel}: cancelling ends the wait even while a pop for it is running in the
 * database; that pop's messages are then handed back to the queue (the lease released, or
 * auto-acked messages unsettled), to be delivered again later, possibly after newer messages of the
 * same partition were delivered to someone else. Cancel when the consumer is gone; end the wait
 * when it is still there.
 *
 * <p>Any thread may call every method.
 */
public abstract class WaitingPop extends CompletableFuture<PopResult> {
  /** For the engine; an embedder receives instances from {@link QueueManager#pop}. */
  protected WaitingPop() {}

  /**
   * Ends the wait now with an empty {@link PopOutcome#TIMED_OUT} result, unless a pop for it is
   * running in the database; that pop's result (messages or empty) is then the answer, as soon as
   * it comes back.
   *
   * @return true when the future is complete (now, or before this call); false when a pop is
   *     running and will complete it
   */
  public abstract boolean endWaitUnlessPopping();
}
