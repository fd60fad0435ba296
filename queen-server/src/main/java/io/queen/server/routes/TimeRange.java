package io.queen.server.routes;

import io.queen.error.InvalidRequestException;
import io.queen.json.JsonBuilder;
import io.queen.server.http.JsonOut;
import io.queen.server.wire.QueryParams;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code from}/{@code to} query parameters of the history and browser routes: {@code to}
 * defaults to {@code defaultTo}, {@code from} to {@code span} before {@code to}; {@code from} must
 * be before {@code to}. Immutable.
 */
record TimeRange(Instant from, Instant to) {

  static TimeRange of(QueryParams q, Instant defaultTo, Duration span) {
    var to = q.instant("to");
    if (to == null) {
      to = defaultTo;
    }
    var from = q.instant("from");
    if (from == null) {
      from = to.minus(span);
    }
    if (!from.isBefore(to)) {
      throw new InvalidRequestException("from", "from (" + from + ") must be before to (" + to + ")");
    }
    return new TimeRange(from, to);
  }

  /** The {@code timeRange} and {@code bucketMinutes} members of a history reply. */
  void write(JsonBuilder w) {
    w.name("timeRange").beginObject().name("from").value(JsonOut.millis(from))
        .name("to").value(JsonOut.millis(to)).endObject();
    w.name("bucketMinutes").value(1);
  }
}
