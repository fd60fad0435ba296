package io.queen.error;

/**
 * A payload of an encrypted queue ({@code encryptionEnabled}) cannot be encrypted or decrypted
 * here: this engine has no encryption key, or none of its keys opens a stored payload. Nothing is
 * stored in plain text and nothing is delivered undecrypted instead.
 */
public final class EncryptionException extends QueenException {
  /**
   * A payload that cannot be encrypted or decrypted here.
   *
   * @param message the queue (and message) concerned and what is missing; never a key
   */
  public EncryptionException(String message) {
    super(message);
  }
}
