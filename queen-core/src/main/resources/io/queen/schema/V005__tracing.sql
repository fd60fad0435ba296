-- Tracing: the W3C trace context a message was pushed with (TraceContext.encoded(): the
-- traceparent, then a space and the tracestate when there is one), returned when it is popped.
-- Nullable without a default: adding it rewrites nothing, and an untraced message stores no bytes.
ALTER TABLE {{schema}}.messages ADD COLUMN trace_context text;
