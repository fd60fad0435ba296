package io.queen.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.queen.EncryptionKeys;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AES-256-GCM in the original's stored format, key rotation, and every refusal. */
class PayloadCipherTest {
  private static final String KEY =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
  private static final String OLD_KEY =
      "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

  @Test
  void a_payload_comes_back_as_it_went_in_and_is_stored_in_the_original_format() {
    var cipher = PayloadCipher.of(EncryptionKeys.of(KEY));
    var stored = cipher.encrypt("{\"order\":42,\"note\":\"é\"}");

    var o = JsonParser.parseString(stored).getAsJsonObject();
    assertThat(o.keySet()).containsExactlyInAnyOrder("encrypted", "iv", "authTag");
    assertThat(Base64.getDecoder().decode(o.get("iv").getAsString())).hasSize(16);
    assertThat(Base64.getDecoder().decode(o.get("authTag").getAsString())).hasSize(16);
    assertThat(stored).doesNotContain("order");
    assertThat(cipher.decrypt(stored)).isEqualTo("{\"order\":42,\"note\":\"é\"}");
  }

  @Test
  void every_encryption_takes_a_fresh_iv() {
    var cipher = PayloadCipher.of(EncryptionKeys.of(KEY));
    assertThat(cipher.encrypt("{}")).isNotEqualTo(cipher.encrypt("{}"));
  }

  @Test
  void it_opens_what_node_crypto_sealed_with_aes_256_gcm_and_a_16_byte_iv() {
    // made with node's crypto.createCipheriv("aes-256-gcm", KEY, 0102..10)
    var sealed = "{\"encrypted\":\"SCmjt01oyoh8XY3XUJrXbd0i6Hk+M9fW\","
        + "\"iv\":\"AQIDBAUGBwgJCgsMDQ4PEA==\",\"authTag\":\"6mPJsCvSWZS42DxRLzAbDA==\"}";
    assertThat(PayloadCipher.of(EncryptionKeys.of(KEY)).decrypt(sealed))
        .isEqualTo("{\"order\":42,\"note\":\"é\"}");
    // the same as PostgreSQL prints it back from jsonb: members reordered, spaces after colons
    var printed = "{\"iv\": \"AQIDBAUGBwgJCgsMDQ4PEA==\", \"authTag\": \"6mPJsCvSWZS42DxRLzAbDA==\", "
        + "\"encrypted\": \"SCmjt01oyoh8XY3XUJrXbd0i6Hk+M9fW\"}";
    assertThat(PayloadCipher.of(EncryptionKeys.of(KEY)).decrypt(printed))
        .isEqualTo("{\"order\":42,\"note\":\"é\"}");
  }

  @Test
  void after_a_rotation_the_previous_key_still_opens_old_payloads() {
    var old = PayloadCipher.of(EncryptionKeys.of(OLD_KEY)).encrypt("{\"n\":1}");
    var rotated = PayloadCipher.of(new EncryptionKeys(KEY, List.of(OLD_KEY)));

    assertThat(rotated.decrypt(old)).isEqualTo("{\"n\":1}");
    var fresh = rotated.encrypt("{\"n\":2}");
    assertThatThrownBy(() -> PayloadCipher.of(EncryptionKeys.of(OLD_KEY)).decrypt(fresh))
        .as("new payloads are under the current key, not the old one")
        .isInstanceOf(PayloadCipher.PayloadCipherException.class);
  }

  @Test
  void a_tampered_payload_or_an_unknown_key_is_refused_never_returned_as_garbage() {
    var cipher = PayloadCipher.of(EncryptionKeys.of(KEY));
    var o = JsonParser.parseString(cipher.encrypt("{\"n\":1}")).getAsJsonObject();
    var text = Base64.getDecoder().decode(o.get("encrypted").getAsString());
    text[0] ^= 1;
    o.addProperty("encrypted", Base64.getEncoder().encodeToString(text));

    assertThatThrownBy(() -> cipher.decrypt(o.toString()))
        .isInstanceOf(PayloadCipher.PayloadCipherException.class)
        .hasMessageContaining("no configured key opens");
    assertThatThrownBy(() -> PayloadCipher.of(EncryptionKeys.of(OLD_KEY)).decrypt(cipher.encrypt("{}")))
        .isInstanceOf(PayloadCipher.PayloadCipherException.class);
    assertThatThrownBy(() -> cipher.decrypt("{\"n\":1}"))
        .isInstanceOf(PayloadCipher.PayloadCipherException.class)
        .hasMessageContaining("is not {\"encrypted\",\"iv\",\"authTag\"}");
  }

  @Test
  void every_malformed_key_is_reported_at_once_without_its_value() {
    assertThatThrownBy(() -> new EncryptionKeys("abc", List.of(KEY, "zz" + KEY.substring(2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the current key must be 64 hexadecimal characters (32 bytes), was 3")
        .hasMessageContaining("previous key 2 must be hexadecimal")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY.substring(2)));
  }

  @Test
  void the_keys_never_show_in_a_printed_configuration() {
    var config = io.queen.QueenConfig.builder()
        .encryption(new EncryptionKeys(KEY, List.of(OLD_KEY))).build();
    assertThat(config.toString()).doesNotContain(KEY).doesNotContain(OLD_KEY)
        .contains("EncryptionKeys[current key, 1 previous]");
  }
}
