package io.queen.server.wire;

import io.queen.model.PushItem;
import io.queen.model.TraceContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The W3C {@code traceparent} and {@code tracestate} request headers of a push or transaction:
 * the trace context of every pushed item that does not carry its own ({@code items[i].traceparent}
 * wins). Stateless; called on the request's IO thread.
 */
public final class TraceHeaders {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  private TraceHeaders() {}

  /**
   * {@code items}, each without a trace context given the headers' (the same list when there are
   * no headers).
   *
   * @throws io.queen.error.InvalidRequestException when the headers are not a valid trace context
   *     ({@code headers.traceparent '...' is not a W3C traceparent ...})
   */
  public static List<PushItem> apply(List<PushItem> items, String traceparent, String tracestate) {
    var context = TraceContext.parse("headers", traceparent, tracestate);
    if (context == null) {
      return items;
    }
    var out = new ArrayList<PushItem>(items.size());
    for (var item : items) {
      out.add(item != null && item.traceContext() == null ? item.withTraceContext(context) : item);
    }
    return out;
  }
}
