package io.queen.server.routes;

import io.queen.json.JsonBuilder;

/**
 * The {@code pagination} member that every paginated reply carries (trace names, traces by name,
 * the dead-letter queue). Stateless; any thread.
 */
final class Pagination {
  private Pagination() {}

  static void write(JsonBuilder w, int limit, int offset) {
    w.name("pagination").beginObject().name("limit").value(limit).name("offset").value(offset)
        .endObject();
  }
}
