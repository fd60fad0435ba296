package io.queen.internal.jobs;

import java.util.List;

/**
 * What one lifecycle batch removed, per queue and kind, and whether a rule hit the batch size (so
 * more may be left).
 */
public record Removals(List<Removal> removals, boolean full) {
  /** {@code removed} messages (or partitions, or history rows) of {@code queue}, of one kind. */
  public record Removal(String queue, String kind, int removed) {}

  static final Removals NONE = new Removals(List.of(), false);

  /** The total of one kind. */
  public int total(String kind) {
    return removals.stream().filter(r -> r.kind().equals(kind)).mapToInt(Removal::removed).sum();
  }
}
