package io.queen.model;

import java.util.List;

/**
 * One page of dead-letter entries, newest failure first, with the total that matched.
 *
 * @param entries the page's entries, newest failure first
 * @param total every entry that matched the query, on all pages
 * @param limit the page size asked for
 * @param offset the entries skipped before this page
 */
public record DlqPage(List<DlqEntry> entries, long total, int limit, int offset) {
  /**
   * Copies the list of entries.
   *
   * @param entries the page's entries; not null
   * @param total every entry that matched the query
   * @param limit the page size asked for
   * @param offset the entries skipped before this page
   */
  public DlqPage {
    entries = List.copyOf(entries);
  }
}
