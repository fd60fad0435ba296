package io.queen.internal.ops;

import io.queen.error.InvalidRequestException;
import io.queen.json.JsonText;
import java.util.UUID;

/** Argument checks whose failures name the field. Stateless; any thread (the caller's). */
public final class Validation {
  static final int MAX_NAME_LENGTH = 255;
  static final int MAX_TRANSACTION_ID_LENGTH = 255;

  private Validation() {}

  /** A queue, partition or group name: 1-255 characters, no control characters. */
  public static void name(String field, String value) {
    if (value == null) {
      throw new InvalidRequestException(field, field + " is required");
    }
    if (value.isBlank()) {
      throw new InvalidRequestException(field, field + " must not be empty");
    }
    if (value.length() > MAX_NAME_LENGTH) {
      throw new InvalidRequestException(field,
          field + " must be at most " + MAX_NAME_LENGTH + " characters, was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidRequestException(field,
            field + " must not contain control characters (found U+"
                + String.format("%04X", (int) value.charAt(i)) + " at " + i + ")");
      }
    }
  }

  public static void transactionId(String field, String value) {
    if (value == null) {
      throw new InvalidRequestException(field, field + " is required");
    }
    if (value.isEmpty()) {
      throw new InvalidRequestException(field, field + " must not be empty");
    }
    if (value.length() > MAX_TRANSACTION_ID_LENGTH) {
      throw new InvalidRequestException(field, field + " must be at most "
          + MAX_TRANSACTION_ID_LENGTH + " characters, was " + value.length());
    }
    text(field, value);
  }

  /** Free text stored in a text column: PostgreSQL cannot hold NUL there (null is fine). */
  static void text(String field, String value) {
    if (value != null && value.indexOf('\0') >= 0) {
      throw new InvalidRequestException(field, field + " must not contain the NUL character");
    }
  }

  public static UUID uuid(String field, String value) {
    if (value == null) {
      throw new InvalidRequestException(field, field + " is required");
    }
    try {
      if (value.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field, field + " must be a UUID, was '" + abbreviate(value) + "'");
    }
  }

  static void json(String field, String value) {
    if (value == null) {
      return;
    }
    var problem = JsonText.problem(value);
    if (problem != null) {
      throw new InvalidRequestException(field, field + " " + problem);
    }
  }

  /** Paging of the admin reads: 1-10000 rows from offset 0 or more. */
  static void paging(int limit, int offset) {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidRequestException("limit", "limit must be between 1 and 10000, was " + limit);
    }
    if (offset < 0) {
      throw new InvalidRequestException("offset", "offset must be zero or positive, was " + offset);
    }
  }

  static String emptyToNull(String v) {
    return v == null || v.isEmpty() ? null : v;
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
