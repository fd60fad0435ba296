package io.queen.tracing;

import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import java.util.List;

/**
 * The tracing seam: where the engine starts and ends the spans of the messages it moves. Given to
 * {@link io.queen.QueenConfig.Builder#tracing}; {@link #NOOP} (the default) traces nothing and
 * stores the trace contexts the items carry as they are. {@link
 * io.queen.tracing.otel.OpenTelemetryTracing} is the implementation for the OpenTelemetry API.
 *
 * <p>Implementations must be thread-safe and cheap: {@link #startPush} and {@link #startPop} run
 * on the caller's thread of every push and pop. Their spans end on the engine's threads.
 *
 * <p>Which thread calls what: {@link #startPush} and {@link #startPop} run on the thread calling
 * {@link io.queen.QueueManager#push}, {@code pop} or {@code transaction}; {@link ProducerSpan#end}
 * and {@link ConsumerSpan#end} run on the thread that completes the operation (a
 * {@code queen-db-N} thread, or as {@link io.queen.QueueManager} lists, another of Queen's threads),
 * or on the caller's thread when a push was refused before it was queued or ran there (the
 * pushes on an application's connection). A pop refused by validation ends no span. {@link #startProcess} and the {@link HandlerScope}'s
 * methods run on a consumer thread, {@code queen-consumer-<queue>-N}.
 */
public interface QueenTracing {
  /** Traces nothing. */
  QueenTracing NOOP = new QueenTracing() {
    @Override
    public ProducerSpan startPush(List<PushItem> items) {
      return ProducerSpan.untraced(items);
    }

    @Override
    public ConsumerSpan startPop(PopRequest request) {
      return ConsumerSpan.NONE;
    }

    @Override
    public HandlerScope startProcess(Message message) {
      return HandlerScope.NONE;
    }
  };

  /**
   * A push of {@code items} begins (a plain push, or the pushes of a transaction). The items the
   * returned span gives are the ones stored: each with the trace context of its producer span.
   * Called before the items are validated, on the caller's thread.
   *
   * @param items the items as the caller gave them (may be null or hold bad items: validation
   *     comes after)
   * @return the push's span, never null; its {@link ProducerSpan#items()} are stored instead of
   *     {@code items}
   */
  ProducerSpan startPush(List<PushItem> items);

  /**
   * A pop begins; its span is made when it ends with messages, linked to theirs. Called on the
   * caller's thread, before the request is validated.
   *
   * @param request the pop as the caller gave it (may be null or bad: validation comes after)
   * @return the pop's span, never null ({@link ConsumerSpan#NONE} for none)
   */
  ConsumerSpan startPop(PopRequest request);

  /**
   * {@link io.queen.consumer.QueenConsumer}'s handler is about to process {@code message}, on this
   * thread: the scope makes its span current until {@link HandlerScope#close}. Called on the
   * consumer thread ({@code queen-consumer-<queue>-N}) that is about to run the handler.
   *
   * @param message the message about to be handled, carrying its producer's trace context
   * @return the handler's scope, never null ({@link HandlerScope#NONE} for none); closed on the
   *     same thread once the handler returns or throws
   */
  HandlerScope startProcess(Message message);

  /** The span of one push. */
  interface ProducerSpan {
    /**
     * A push without a span: its items as given.
     *
     * @param items the items to store unchanged
     * @return a span whose {@link #items()} is {@code items} and whose {@link #end} does nothing
     */
    static ProducerSpan untraced(List<PushItem> items) {
      return new ProducerSpan() {
        @Override
        public List<PushItem> items() {
          return items;
        }

        @Override
        public void end(List<PushResult> results, Throwable error) {}
      };
    }

    /**
     * The items to store, with their producer span's trace context. Called on the caller's thread
     * right after {@link QueenTracing#startPush}.
     *
     * @return the items to validate and store in place of the given ones: as many, in the same
     *     order
     */
    List<PushItem> items();

    /**
     * The push ended: {@code results} are its items' results in order (null when it failed with
     * {@code error}). Called once, on the thread that completed the push (see the class comment).
     *
     * @param results the items' results in order; null when the push failed; for a transaction
     *     that rolled back, empty
     * @param error why the push failed (for a transaction that rolled back, an
     *     {@link IllegalStateException} with its reason), or null when it succeeded
     */
    void end(List<PushResult> results, Throwable error);
  }

  /** The span of one pop, made when it ends. */
  interface ConsumerSpan {
    /** A pop without a span: {@link #end} does nothing. */
    ConsumerSpan NONE = (result, error) -> {};

    /**
     * The pop returned {@code result} (null when it failed with {@code error}). Called once, on the
     * thread that completed the pop: a {@code queen-db-N} thread when it found messages, the
     * scheduler's thread when a long poll timed out. Not called when the request was refused by
     * validation (the exception is thrown to the caller instead).
     *
     * @param result the pop's result, possibly empty; null when it failed
     * @param error why the pop failed, or null
     */
    void end(PopResult result, Throwable error);
  }

  /** A handler's span, current on the consumer thread while it is open. */
  interface HandlerScope extends AutoCloseable {
    /** A handler without a span: both methods do nothing. */
    HandlerScope NONE = new HandlerScope() {
      @Override
      public void failed(Throwable error) {}

      @Override
      public void close() {}
    };

    /**
     * The handler threw {@code error}. Called on the consumer thread, before {@link #close()}.
     *
     * @param error what the handler threw
     */
    void failed(Throwable error);

    /** Ends the span and restores the thread's previous context. */
    @Override
    void close();
  }
}
