/**
 * Typed readers of Queen's wire format: one class per request body
 * ({@link io.queen.server.wire.PushBody}, {@link io.queen.server.wire.AckBody},
 * {@link io.queen.server.wire.TransactionBody}, {@link io.queen.server.wire.TraceBody},
 * {@link io.queen.server.wire.DlqRequeueBody}, {@link io.queen.server.wire.ConfigureBody},
 * {@link io.queen.server.wire.LeaseExtendBody}), built on package-private field holders with
 * named fields ({@code PushItemFields}, {@code AckFields}) and on {@code JsonIn}, strict streaming
 * reads with gson's {@code JsonReader} (no tree, no reflection; payloads copied token by token as
 * raw JSON text) whose errors name the field as the client wrote it
 * ({@code items[0].queue must be a string}). {@link io.queen.server.wire.QueryParams} reads query
 * parameters and {@link io.queen.server.wire.WireNames} maps the wire's names to the core's (queue
 * mode's group, field paths in the core's complaints). Readers are stateless; each request is
 * parsed by the one thread running its handler, the request's IO thread.
 */
package io.queen.server.wire;
