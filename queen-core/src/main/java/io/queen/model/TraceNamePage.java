package io.queen.model;

import java.util.List;

/** A page of trace names with the total number of names. */
public record TraceNamePage(List<TraceName> names, long total, int limit, int offset) {
  public TraceNamePage {
    names = List.copyOf(names);
  }
}
