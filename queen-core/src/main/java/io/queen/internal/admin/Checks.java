package io.queen.internal.admin;

import io.queen.error.InvalidRequestException;
import io.queen.internal.ops.Validation;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Argument checks and conversions shared by the admin rooms. Stateless; any thread. */
final class Checks {
  private Checks() {}

  /** A queue, partition or group name (see {@link Validation#name}); returns it. */
  static String name(String field, String value) {
    Validation.name(field, value);
    return value;
  }

  /** An optional name: null stays null. */
  static String optionalName(String field, String value) {
    return value == null ? null : name(field, value);
  }

  static Instant required(String field, Instant value) {
    if (value == null) {
      throw new InvalidRequestException(field, field + " is required");
    }
    return value;
  }

  static OffsetDateTime timestamp(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
