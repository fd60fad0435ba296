package io.queen;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The keys that encrypt the payloads of queues configured with {@code encryptionEnabled}
 * (AES-256-GCM): the current key, which encrypts every new payload, and previous keys, which
 * still decrypt what they encrypted (key rotation, see docs/operations.md). Immutable; its
 * {@link #toString()} never shows a key.
 *
 * @param current 64 hexadecimal characters (32 bytes)
 * @param previous keys retired from encrypting, each 64 hexadecimal characters; may be empty
 */
public record EncryptionKeys(String current, List<String> previous) {
  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");

  /**
   * Checks every key and copies the list of previous keys.
   *
   * @param current 64 hexadecimal characters (32 bytes)
   * @param previous keys retired from encrypting, each 64 hexadecimal characters; may be empty,
   *     not null
   * @throws NullPointerException when {@code previous} is null
   * @throws IllegalArgumentException naming every malformed key by position, never its value
   */
  public EncryptionKeys {
    Objects.requireNonNull(previous, "previous");
    var problems = new ArrayList<String>();
    check(problems, "the current key", current);
    previous = List.copyOf(previous);
    for (int i = 0; i < previous.size(); i++) {
      check(problems, "previous key " + (i + 1), previous.get(i));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /**
   * Only a current key.
   *
   * @param current 64 hexadecimal characters (32 bytes)
   * @return keys with {@code current} and no previous keys
   * @throws IllegalArgumentException when {@code current} is malformed (its value is not shown)
   */
  public static EncryptionKeys of(String current) {
    return new EncryptionKeys(current, List.of());
  }

  private static void check(List<String> problems, String what, String hex) {
    if (hex == null || hex.length() != 64) {
      problems.add(what + " must be 64 hexadecimal characters (32 bytes), was "
          + (hex == null ? "missing" : hex.length() + " characters"));
    } else if (!HEX_KEY.matcher(hex).matches()) {
      problems.add(what + " must be hexadecimal (0-9, a-f)");
    }
  }

  /**
   * Never shows a key.
   *
   * @return how many keys there are, without their values
   */
  @Override
  public String toString() {
    return "EncryptionKeys[current key, " + previous.size() + " previous]";
  }
}
