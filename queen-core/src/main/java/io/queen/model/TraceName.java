package io.queen.model;

import java.time.Instant;

/** A trace name with how many events and messages carry it and when it was last used. */
public record TraceName(String name, long traceCount, long messageCount, Instant lastSeen) {}
