/**
 * JSON text for Queen's formats, public on purpose: {@link io.queen.json.JsonBuilder}, a streaming
 * writer for documents whose member names are constants, and {@link io.queen.json.JsonText}, the
 * strict validator that decides whether a payload is one Queen (and PostgreSQL's {@code jsonb}) can
 * store. The engine uses both for its batches to PostgreSQL; the server uses them for the wire, so
 * what the server accepts is exactly what the engine accepts.
 */
package io.queen.json;
