package io.queen.internal.crypto;

import io.queen.EncryptionKeys;
import io.queen.json.JsonBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for payloads, in the original Queen's stored format: the payload's JSON text
 * encrypted under a random 16-byte IV with a 16-byte tag, stored as
 * {@code {"encrypted": base64, "iv": base64, "authTag": base64}}. New payloads use the current key;
 * decryption tries the current key, then each previous one (key rotation). Thread-safe.
 *
 * <p>{@link QueueEncryption} decides which payloads go through it.
 */
public final class PayloadCipher {
  private static final int IV_BYTES = 16;
  private static final int TAG_BITS = 128;
  private static final int TAG_BYTES = TAG_BITS / 8;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKeySpec current;
  private final List<SecretKeySpec> previous;
  private final SecureRandom random = new SecureRandom();
  /** A Cipher per thread: Cipher.getInstance costs about as much as sealing a small payload. */
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
    }
  });

  private PayloadCipher(SecretKeySpec current, List<SecretKeySpec> previous) {
    this.current = current;
    this.previous = List.copyOf(previous);
  }

  public static PayloadCipher of(EncryptionKeys keys) {
    var previous = new ArrayList<SecretKeySpec>();
    for (var hex : keys.previous()) {
      previous.add(key(hex));
    }
    return new PayloadCipher(key(keys.current()), previous);
  }

  /** Keys are validated by {@link EncryptionKeys}. */
  private static SecretKeySpec key(String hex) {
    return new SecretKeySpec(HexFormat.of().parseHex(hex), "AES");
  }

  /** Any thread: the stored form of {@code json} under the current key. */
  public String encrypt(String json) {
    var iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    byte[] sealed;
    try {
      var cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(TAG_BITS, iv));
      sealed = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
    }
    int textLength = sealed.length - TAG_BYTES;
    var b64 = Base64.getEncoder();
    return new JsonBuilder(sealed.length * 2 + 64).beginObject()
        .name("encrypted").value(b64.encodeToString(java.util.Arrays.copyOf(sealed, textLength)))
        .name("iv").value(b64.encodeToString(iv))
        .name("authTag").value(b64.encodeToString(
            java.util.Arrays.copyOfRange(sealed, textLength, sealed.length)))
        .endObject().toString();
  }

  /**
   * Any thread: the JSON text that {@code stored} holds.
   *
   * @throws PayloadCipherException when it is not the stored form, or no key opens it (wrong key,
   *     tampered payload)
   */
  public String decrypt(String stored) {
    byte[] text;
    byte[] iv;
    byte[] tag;
    try {
      var b64 = Base64.getDecoder();
      text = b64.decode(field(stored, "encrypted"));
      iv = b64.decode(field(stored, "iv"));
      tag = b64.decode(field(stored, "authTag"));
    } catch (IllegalArgumentException e) {
      throw new PayloadCipherException(
          "stored payload is not {\"encrypted\",\"iv\",\"authTag\"} in base64");
    }
    if (tag.length != TAG_BYTES || iv.length == 0) {
      throw new PayloadCipherException("stored payload has a " + tag.length + "-byte tag and a "
          + iv.length + "-byte IV; expected a 16-byte tag");
    }
    var sealed = new byte[text.length + tag.length];
    System.arraycopy(text, 0, sealed, 0, text.length);
    System.arraycopy(tag, 0, sealed, text.length, tag.length);
    var keys = new ArrayList<SecretKeySpec>(previous.size() + 1);
    keys.add(current);
    keys.addAll(previous);
    for (var key : keys) {
      try {
        var cipher = CIPHERS.get();
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        return new String(cipher.doFinal(sealed), StandardCharsets.UTF_8);
      } catch (AEADBadTagException wrongKeyOrTampered) {
        // the next key, if any
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
      }
    }
    throw new PayloadCipherException("no configured key opens the stored payload ("
        + keys.size() + " tried): a key that is not configured, or a tampered payload");
  }

  /**
   * The string value of top-level member {@code name} of a flat JSON object of base64 strings (as
   * PostgreSQL prints the stored form: members in any order, spaces after the colons).
   *
   * @throws IllegalArgumentException when it is missing or not a plain base64 string
   */
  static String field(String json, String name) {
    int at = json.indexOf('"' + name + '"');
    if (at < 0) {
      throw new IllegalArgumentException("no " + name);
    }
    int i = at + name.length() + 2;
    while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
      i++;
    }
    if (i >= json.length() || json.charAt(i) != ':') {
      throw new IllegalArgumentException("no value for " + name);
    }
    i++;
    while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
      i++;
    }
    if (i >= json.length() || json.charAt(i) != '"') {
      throw new IllegalArgumentException(name + " is not a string");
    }
    int end = json.indexOf('"', i + 1);
    if (end < 0) {
      throw new IllegalArgumentException(name + " is not terminated");
    }
    var value = json.substring(i + 1, end);
    for (int k = 0; k < value.length(); k++) {
      char ch = value.charAt(k);
      if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '+' && ch != '/' && ch != '=') {
        throw new IllegalArgumentException(name + " is not base64");
      }
    }
    return value;
  }

  /** A stored payload that cannot be decrypted. */
  public static final class PayloadCipherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PayloadCipherException(String message) {
      super(message);
    }
  }
}
