package io.queen.server.routes;

import io.queen.admin.PartitionSummary;
import io.queen.error.InvalidRequestException;
import io.queen.server.wire.QueryParams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A page of one queue's partitions for {@code GET /api/v1/status/queues/:queue} (ours: the
 * original always sends them all, some megabytes at 10,000 partitions): {@code partitionSearch}
 * (part of the name, any case), {@code partitionSort} with {@code partitionOrder}, and
 * {@code partitionLimit} / {@code partitionOffset}. Without any of them every partition is sent in
 * the stored order, as the original does. Immutable.
 */
record PartitionPage(String search, Comparator<PartitionSummary> sort, int limit, int offset) {
  private static final Map<String, Function<PartitionSummary, Comparable<?>>> KEYS = Map.of(
      "name", PartitionSummary::name,
      "total", p -> p.messages().total(),
      "pending", p -> p.messages().pending(),
      "processing", p -> p.messages().processing(),
      "completed", p -> p.messages().completed(),
      "failed", p -> p.messages().failed(),
      "deadLetter", p -> p.messages().deadLetter(),
      "lastActivity", PartitionSummary::lastActivity,
      "createdAt", PartitionSummary::createdAt);

  static PartitionPage of(QueryParams q) {
    var search = q.string("partitionSearch");
    var sortName = q.string("partitionSort");
    var order = q.string("partitionOrder");
    Comparator<PartitionSummary> sort = null;
    if (sortName != null) {
      var key = KEYS.get(sortName);
      if (key == null) {
        throw new InvalidRequestException("partitionSort", "partitionSort must be one of "
            + String.join(", ", new java.util.TreeSet<>(KEYS.keySet())) + ", was '" + sortName + "'");
      }
      @SuppressWarnings({"unchecked", "rawtypes"})
      Comparator<PartitionSummary> byKey = Comparator.comparing(
          p -> (Comparable) key.apply(p), Comparator.nullsFirst(Comparator.naturalOrder()));
      sort = byKey.thenComparing(PartitionSummary::name);
    }
    if (order != null && !order.equals("asc") && !order.equals("desc")) {
      throw new InvalidRequestException("partitionOrder",
          "partitionOrder must be asc or desc, was '" + order + "'");
    }
    if ("desc".equals(order)) {
      sort = (sort == null ? Comparator.comparing(PartitionSummary::name) : sort).reversed();
    }
    int limit = q.integer("partitionLimit", Integer.MAX_VALUE, 1, 10_000);
    int offset = q.integer("partitionOffset", 0, 0, Integer.MAX_VALUE);
    return new PartitionPage(search == null || search.isEmpty() ? null
        : search.toLowerCase(Locale.ROOT), sort, limit, offset);
  }

  /** The partitions whose name contains the search, in the asked order. */
  List<PartitionSummary> filter(List<PartitionSummary> all) {
    var out = new ArrayList<PartitionSummary>(all.size());
    for (var p : all) {
      if (search == null || p.name().toLowerCase(Locale.ROOT).contains(search)) {
        out.add(p);
      }
    }
    if (sort != null) {
      out.sort(sort);
    }
    return out;
  }

  /** The page of {@code matched} asked for. */
  List<PartitionSummary> apply(List<PartitionSummary> matched) {
    if (offset >= matched.size()) {
      return List.of();
    }
    return matched.subList(offset, (int) Math.min(matched.size(), (long) offset + limit));
  }
}
