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
   * Called before the items are validated.
   */
  ProducerSpan startPush(List<PushItem> items);

  /** A pop begins; its span is made when it ends with messages, linked to theirs. */
  ConsumerSpan startPop(PopRequest request);

  /**
   * {@link io.queen.consumer.QueenConsumer}'s handler is about to process {@code message}, on this
   * thread: the scope makes its span current until {@link HandlerScope#close}.
   */
  HandlerScope startProcess(Message message);

  /** The span of one push. */
  interface ProducerSpan {
    /** A push without a span: its items as given. */
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

    /** The items to store, with their producer span's trace context. */
    List<PushItem> items();

    /**
     * The push ended: {@code results} are its items' results in order (null when it failed with
     * {@code error}).
     */
    void end(List<PushResult> results, Throwable error);
  }

  /** The span of one pop, made when it ends. */
  interface ConsumerSpan {
    ConsumerSpan NONE = (result, error) -> {};

    /** The pop returned {@code result} (null when it failed with {@code error}). */
    void end(PopResult result, Throwable error);
  }

  /** A handler's span, current on the consumer thread while it is open. */
  interface HandlerScope extends AutoCloseable {
    HandlerScope NONE = new HandlerScope() {
      @Override
      public void failed(Throwable error) {}

      @Override
      public void close() {}
    };

    /** The handler threw {@code error}. */
    void failed(Throwable error);

    /** Ends the span and restores the thread's previous context. */
    @Override
    void close();
  }
}
