package io.queen.model;

import java.util.List;

/** A page of trace events with the total that matched. */
public record TracePage(List<TraceRecord> traces, long total, int limit, int offset) {
  public TracePage {
    traces = List.copyOf(traces);
  }
}
