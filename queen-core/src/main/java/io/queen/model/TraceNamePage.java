package io.queen.model;

import java.util.List;

/**
 * A page of trace names with the total number of names.
 *
 * @param names the page's names, most recently seen first
 * @param total every name in use, on all pages
 * @param limit the page size asked for
 * @param offset the names skipped before this page
 */
public record TraceNamePage(List<TraceName> names, long total, int limit, int offset) {
  /**
   * Copies the list of names.
   *
   * @param names the page's names; not null
   * @param total every name in use
   * @param limit the page size asked for
   * @param offset the names skipped before this page
   */
  public TraceNamePage {
    names = List.copyOf(names);
  }
}
