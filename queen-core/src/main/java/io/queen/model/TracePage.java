package io.queen.model;

import java.util.List;

/**
 * A page of trace events with the total that matched.
 *
 * @param traces the page's events, newest first, with their messages
 * @param total every event that matched, on all pages
 * @param limit the page size asked for
 * @param offset the events skipped before this page
 */
public record TracePage(List<TraceRecord> traces, long total, int limit, int offset) {
  /**
   * Copies the list of events.
   *
   * @param traces the page's events; not null
   * @param total every event that matched
   * @param limit the page size asked for
   * @param offset the events skipped before this page
   */
  public TracePage {
    traces = List.copyOf(traces);
  }
}
