package io.queen.tracing.otel;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.queen.model.Message;
import io.queen.model.PopRequest;
import io.queen.model.PopResult;
import io.queen.model.PushItem;
import io.queen.model.PushResult;
import io.queen.model.TraceContext;
import io.queen.tracing.QueenTracing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link QueenTracing} with the OpenTelemetry API, following the messaging semantic conventions
 * ({@code messaging.system=queen}):
 *
 * <ul>
 *   <li>a push makes a PRODUCER span {@code send <queue>} per queue and parent (the item's own
 *       trace context, or the pushing thread's current context), and each message stores that
 *       span's context;
 *   <li>a pop that returns messages makes a CLIENT span {@code receive <queue>} linked to each
 *       message's producer span;
 *   <li>{@link io.queen.consumer.QueenConsumer} runs its handler in a CONSUMER span
 *       {@code process <queue>}, a child of the message's producer span: the consumer continues
 *       the producer's trace.
 * </ul>
 *
 * Thread-safe. With an OpenTelemetry whose tracer records nothing (no SDK) it stores the contexts
 * the items carry, as {@link QueenTracing#NOOP} does.
 */
public final class OpenTelemetryTracing implements QueenTracing {
  /** The instrumentation scope of Queen's spans. */
  public static final String INSTRUMENTATION_NAME = "io.queen";

  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  static final AttributeKey<String> OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<Long> BATCH_COUNT =
      AttributeKey.longKey("messaging.batch.message_count");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("messaging.message.conversation_id");
  static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
  static final AttributeKey<Long> RETRY = AttributeKey.longKey("queen.message.retry_count");

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final TextMapGetter<TraceContext> FROM_CONTEXT = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(TraceContext carrier) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(TraceContext carrier, String key) {
      if (carrier == null) {
        return null;
      }
      return "traceparent".equals(key) ? carrier.traceparent()
          : "tracestate".equals(key) ? carrier.tracestate() : null;
    }
  };
  private static final TextMapSetter<Map<String, String>> INTO_MAP = Map::put;

  private final Tracer tracer;

  /**
   * Spans from {@code openTelemetry}'s tracer provider (for example {@code GlobalOpenTelemetry.get()}).
   *
   * @param openTelemetry the OpenTelemetry instance whose tracer makes the spans; not null
   * @throws NullPointerException when {@code openTelemetry} is null
   */
  public OpenTelemetryTracing(OpenTelemetry openTelemetry) {
    this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry")
        .getTracer(INSTRUMENTATION_NAME);
  }

  @Override
  public ProducerSpan startPush(List<PushItem> items) {
    if (items == null || items.isEmpty()) {
      return ProducerSpan.untraced(items);
    }
    var current = Context.current();
    // One span per (queue, given context), in the order of the items' first appearance; almost
    // every push has one queue and one context, so a list beats a map.
    var groups = new ArrayList<Group>(1);
    var stored = new ArrayList<PushItem>(items.size());
    var index = new int[items.size()];
    for (int i = 0; i < items.size(); i++) {
      var item = items.get(i);
      if (item == null || item.queue() == null) {
        stored.add(item); // validation refuses it; the push fails and its spans end in error
        index[i] = -1;
        continue;
      }
      Group group = null;
      for (var g : groups) {
        if (g.queue.equals(item.queue()) && Objects.equals(g.given, item.traceContext())) {
          group = g;
          break;
        }
      }
      if (group == null) {
        group = new Group(item.queue(), item.traceContext(), item.partitionOrDefault());
        groups.add(group);
      } else if (group.partition != null && !group.partition.equals(item.partitionOrDefault())) {
        group.partition = null;
      }
      group.count++;
      index[i] = groups.indexOf(group);
      stored.add(item);
    }
    for (var g : groups) {
      Context parent = g.given == null ? current : W3C.extract(Context.root(), g.given, FROM_CONTEXT);
      var builder = tracer.spanBuilder("send " + g.queue)
          .setSpanKind(SpanKind.PRODUCER)
          .setParent(parent);
      common(builder, g.queue, "send");
      if (g.partition != null) {
        builder.setAttribute(PARTITION, g.partition);
      }
      if (g.count > 1) {
        builder.setAttribute(BATCH_COUNT, (long) g.count);
      }
      g.span = builder.startSpan();
      g.stored = contextOf(g.span.getSpanContext(), g.given);
    }
    for (int i = 0; i < stored.size(); i++) {
      if (index[i] >= 0) {
        var g = groups.get(index[i]);
        if (g.stored != stored.get(i).traceContext()) {
          stored.set(i, stored.get(i).withTraceContext(g.stored));
        }
      }
    }
    return new Producer(Collections.unmodifiableList(stored), groups, index);
  }

  @Override
  public ConsumerSpan startPop(PopRequest request) {
    var parent = Context.current();
    var started = Instant.now();
    return (result, failure) -> {
      var error = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (error instanceof CancellationException
          || error == null && (result == null || result.messages().isEmpty())) {
        return; // an empty pop (a long poll's timeout) is not a span: nothing was received
      }
      var queue = request.queue() != null ? request.queue()
          : result != null && !result.messages().isEmpty() ? result.messages().get(0).queue()
          : "(" + request.namespace() + "/" + request.task() + ")";
      var builder = tracer.spanBuilder("receive " + queue)
          .setSpanKind(SpanKind.CLIENT)
          .setParent(parent)
          .setStartTimestamp(started.getEpochSecond() * 1_000_000_000L + started.getNano(),
              TimeUnit.NANOSECONDS);
      common(builder, queue, "receive");
      if (request.consumerGroup() != null) {
        builder.setAttribute(GROUP, request.consumerGroup());
      }
      if (result != null) {
        var messages = result.messages();
        builder.setAttribute(BATCH_COUNT, (long) messages.size());
        if (messages.size() == 1) {
          builder.setAttribute(MESSAGE_ID, messages.get(0).id().toString());
        }
        String partition = null;
        for (var m : messages) {
          partition = partition == null || partition.equals(m.partition()) ? m.partition() : "";
          var producer = producerContext(m.traceContext());
          if (producer.isValid()) {
            builder.addLink(producer);
          }
        }
        if (partition != null && !partition.isEmpty()) {
          builder.setAttribute(PARTITION, partition);
        }
      }
      var span = builder.startSpan();
      if (error != null) {
        failed(span, error);
      }
      span.end();
    };
  }

  @Override
  public HandlerScope startProcess(Message message) {
    Context parent = message.traceContext() == null ? Context.current()
        : W3C.extract(Context.current(), message.traceContext(), FROM_CONTEXT);
    var builder = tracer.spanBuilder("process " + message.queue())
        .setSpanKind(SpanKind.CONSUMER)
        .setParent(parent);
    common(builder, message.queue(), "process");
    builder.setAttribute(PARTITION, message.partition())
        .setAttribute(MESSAGE_ID, String.valueOf(message.id()))
        .setAttribute(CONVERSATION_ID, message.transactionId())
        .setAttribute(RETRY, (long) message.retryCount());
    if (message.consumerGroup() != null) {
      builder.setAttribute(GROUP, message.consumerGroup());
    }
    var span = builder.startSpan();
    Scope scope = span.makeCurrent();
    return new HandlerScope() {
      @Override
      public void failed(Throwable error) {
        OpenTelemetryTracing.failed(span, error);
      }

      @Override
      public void close() {
        scope.close();
        span.end();
      }
    };
  }

  /** Marks {@code span} failed with {@code error} (recorded as its exception event). */
  private static void failed(Span span, Throwable error) {
    span.recordException(error);
    span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
  }

  private static void common(SpanBuilder builder, String queue, String operation) {
    builder.setAttribute(SYSTEM, "queen")
        .setAttribute(DESTINATION, queue)
        .setAttribute(OPERATION_TYPE, operation)
        .setAttribute(OPERATION_NAME, operation);
  }

  /** The span context a stored trace context names (invalid for none). */
  private static SpanContext producerContext(TraceContext stored) {
    if (stored == null) {
      return SpanContext.getInvalid();
    }
    return Span.fromContext(W3C.extract(Context.root(), stored, FROM_CONTEXT)).getSpanContext();
  }

  /** What a message stores: its producer span's context, or the given one when it has none. */
  private static TraceContext contextOf(SpanContext span, TraceContext given) {
    if (!span.isValid()) {
      return given;
    }
    var headers = new HashMap<String, String>(4);
    W3C.inject(Context.root().with(Span.wrap(span)), headers, INTO_MAP);
    var traceparent = headers.get("traceparent");
    if (traceparent == null) {
      return given;
    }
    return new TraceContext(traceparent, headers.get("tracestate"));
  }

  private static final class Group {
    final String queue;
    final TraceContext given;
    String partition;
    int count;
    Span span;
    TraceContext stored;

    Group(String queue, TraceContext given, String partition) {
      this.queue = queue;
      this.given = given;
      this.partition = partition;
    }
  }

  private record Producer(List<PushItem> items, List<Group> groups, int[] index)
      implements ProducerSpan {
    @Override
    public void end(List<PushResult> results, Throwable error) {
      if (results != null && results.size() == index.length) {
        for (int i = 0; i < index.length; i++) {
          var r = results.get(i);
          if (index[i] >= 0 && groups.get(index[i]).count == 1 && r.messageId() != null) {
            groups.get(index[i]).span.setAttribute(MESSAGE_ID, r.messageId().toString());
          }
        }
      }
      for (var g : groups) {
        if (error != null) {
          failed(g.span, error);
        }
        g.span.end();
      }
    }
  }
}
