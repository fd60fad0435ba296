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
      "name", p -> new NaturalName(p.name()),
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
      sort = byKey.thenComparing(p -> new NaturalName(p.name()));
    }
    if (order != null && !order.equals("asc") && !order.equals("desc")) {
      throw new InvalidRequestException("partitionOrder",
          "partitionOrder must be asc or desc, was '" + order + "'");
    }
    if ("desc".equals(order)) {
      sort = (sort == null ? Comparator.comparing((PartitionSummary p) -> new NaturalName(p.name()))
          : sort).reversed();
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

  /**
   * A name ordered as people read numbered names: runs of digits by their value, so
   * {@code p2} comes before {@code p10} (then by text, so the order is total).
   */
  record NaturalName(String name) implements Comparable<NaturalName> {
    @Override
    public int compareTo(NaturalName other) {
      var a = name;
      var b = other.name;
      int i = 0;
      int j = 0;
      while (i < a.length() && j < b.length()) {
        char x = a.charAt(i);
        char y = b.charAt(j);
        if (!Character.isDigit(x) || !Character.isDigit(y)) {
          if (x != y) {
            return Character.compare(x, y);
          }
          i++;
          j++;
          continue;
        }
        // two runs of digits: without their leading zeros, the longer is the larger, else the
        // first digit that differs decides (no allocation: a sort compares ~n log n times)
        while (i < a.length() - 1 && a.charAt(i) == '0' && Character.isDigit(a.charAt(i + 1))) {
          i++;
        }
        while (j < b.length() - 1 && b.charAt(j) == '0' && Character.isDigit(b.charAt(j + 1))) {
          j++;
        }
        int ei = i;
        int ej = j;
        while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
          ei++;
        }
        while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
          ej++;
        }
        if (ei - i != ej - j) {
          return Integer.compare(ei - i, ej - j);
        }
        for (; i < ei; i++, j++) {
          if (a.charAt(i) != b.charAt(j)) {
            return Character.compare(a.charAt(i), b.charAt(j));
          }
        }
      }
      int rest = Integer.compare(a.length() - i, b.length() - j);
      return rest != 0 ? rest : a.compareTo(b);
    }
  }
}
