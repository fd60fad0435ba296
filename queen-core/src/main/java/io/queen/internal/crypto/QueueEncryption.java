package io.queen.internal.crypto;

import io.queen.EncryptionKeys;
import io.queen.error.EncryptionException;
import io.queen.error.InvalidRequestException;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which queues are encrypted, and the cipher that seals and opens their payloads. Thread-safe.
 *
 * <p>The set of encrypted queues is this engine's knowledge, loaded at start and kept by its own
 * configure calls; another instance may configure a queue after that. So it only decides which
 * payloads are sealed before they are sent: {@code push_v1} refuses a plain payload for a queue
 * that is encrypted ({@code needs_encryption}), the push room learns the queue here and seals and
 * sends those items again. A plain payload never reaches an encrypted queue; a stale "encrypted"
 * only seals payloads that did not need it, which read back the same.
 *
 * <p>A delivered payload that was stored encrypted comes from {@code pop_v1} prefixed with
 * {@link #SEALED_MARK} (a JSON text never starts with it); {@link #delivered} opens it.
 */
public final class QueueEncryption {
  /** How {@code pop_v1} marks a payload stored encrypted. */
  public static final char SEALED_MARK = '~';

  private final PayloadCipher cipher;
  private final Set<String> encryptedQueues = ConcurrentHashMap.newKeySet();

  /** @param keys null for an engine without keys */
  public QueueEncryption(EncryptionKeys keys) {
    this.cipher = keys == null ? null : PayloadCipher.of(keys);
  }

  public boolean hasKey() {
    return cipher != null;
  }

  /** Whether this engine knows {@code queue} to be encrypted. */
  public boolean isEncrypted(String queue) {
    return encryptedQueues.contains(queue);
  }

  /** Replaces what is known (at start, from the queues table). */
  public void knownEncrypted(Collection<String> queues) {
    encryptedQueues.clear();
    encryptedQueues.addAll(queues);
  }

  /** A queue was configured (here or found so by a refused push). */
  public void configured(String queue, boolean encrypted) {
    if (encrypted) {
      encryptedQueues.add(queue);
    } else {
      encryptedQueues.remove(queue);
    }
  }

  public void deleted(String queue) {
    encryptedQueues.remove(queue);
  }

  /** Refuses to configure an encrypted queue without a key. */
  public void checkConfigurable(String queue, boolean encrypted) {
    if (encrypted && cipher == null) {
      throw new InvalidRequestException("encryptionEnabled", "queue '" + queue
          + "' cannot have encryptionEnabled: this server has no encryption key "
          + "(set QUEEN_ENCRYPTION_KEY, 64 hexadecimal characters; embedded: "
          + "QueenConfig.Builder.encryption)");
    }
  }

  /** The message that an item or pop of an encrypted queue fails with when there is no key. */
  public static String noKey(String queue) {
    return "Queue '" + queue + "' has encryptionEnabled and this server has no encryption key "
        + "(QUEEN_ENCRYPTION_KEY): nothing was stored in plain text";
  }

  /** Refuses at once a pop of a queue known to be encrypted when there is no key to open it. */
  public void checkReadable(String queue) {
    if (cipher == null && queue != null && encryptedQueues.contains(queue)) {
      throw new EncryptionException("Queue '" + queue + "' has encryptionEnabled and this server "
          + "has no encryption key (QUEEN_ENCRYPTION_KEY) to decrypt its messages");
    }
  }

  /** Any thread: the stored form of a payload; requires {@link #hasKey()}. */
  public String seal(String json) {
    return cipher.encrypt(json);
  }

  /**
   * Any thread: the payload JSON of a stored message.
   *
   * @throws EncryptionException when it is encrypted and cannot be opened here
   */
  public String open(String stored, boolean encrypted, Object messageId, String queue) {
    if (!encrypted || stored == null) {
      return stored;
    }
    if (cipher == null) {
      throw new EncryptionException("message " + messageId + " of queue '" + queue
          + "' is stored encrypted and this server has no encryption key (QUEEN_ENCRYPTION_KEY)");
    }
    try {
      return cipher.decrypt(stored);
    } catch (PayloadCipher.PayloadCipherException e) {
      throw new EncryptionException("message " + messageId + " of queue '" + queue
          + "' cannot be decrypted: " + e.getMessage());
    }
  }

  /** A payload as {@code pop_v1} delivers it: marked when stored encrypted. */
  public String delivered(String payload, Object messageId, String queue) {
    if (payload != null && !payload.isEmpty() && payload.charAt(0) == SEALED_MARK) {
      return open(payload.substring(1), true, messageId, queue);
    }
    return payload;
  }
}
