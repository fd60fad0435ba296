package io.queen.model;

import java.util.List;

/** One page of dead-letter entries, newest failure first, with the total that matched. */
public record DlqPage(List<DlqEntry> entries, long total, int limit, int offset) {
  public DlqPage {
    entries = List.copyOf(entries);
  }
}
