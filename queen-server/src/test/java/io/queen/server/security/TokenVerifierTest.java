package io.queen.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import io.queen.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Public-key algorithms with a PEM key, algorithm confusion, and the remembered tokens. */
class TokenVerifierTest {
  final MutableClock clock = new MutableClock();

  static AuthSettings settings(String algorithm, String secret, String pem) {
    var d = AuthSettings.DISABLED;
    return new AuthSettings(true, algorithm, secret, pem, null, d.jwksRefreshInterval(),
        d.jwksMinRefreshInterval(), d.jwksTimeout(), null, null, Duration.ofSeconds(30),
        d.skipPaths(), "role", "roles", "admin", "read-write", "read-only");
  }

  TokenVerifier verifier(AuthSettings s) {
    return new TokenVerifier(s, VerificationKeys.fixed(s), clock);
  }

  @Test
  void rs256_es256_and_eddsa_tokens_verify_with_their_pem_public_keys() {
    KeyPair rsa = Tokens.rsa();
    KeyPair ec = Tokens.ec();
    KeyPair ed = Tokens.ed25519();
    var claims = Tokens.claims("svc", "read-write").build();
    assertThat(verifier(settings("RS256", null, Tokens.pem(rsa))).verify(Tokens.rs256(rsa, null, claims)))
        .isEqualTo(new TokenVerifier.Valid("svc", AccessLevel.READ_WRITE,
            claims.getExpirationTime().toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    assertThat(verifier(settings("ES256", null, Tokens.pem(ec))).verify(Tokens.es256(ec, claims)))
        .isInstanceOf(TokenVerifier.Valid.class);
    assertThat(verifier(settings("EdDSA", null, Tokens.pem(ed))).verify(Tokens.eddsa(ed, claims)))
        .isInstanceOf(TokenVerifier.Valid.class);
    // signed by another key of the same kind
    assertThat(verifier(settings("EdDSA", null, Tokens.pem(ed))).verify(
        Tokens.eddsa(Tokens.ed25519(), claims)))
        .isEqualTo(new TokenVerifier.Refused(401, "Invalid token signature"));
  }

  @Test
  void a_token_signed_with_hmac_over_the_public_key_is_refused_for_its_algorithm() {
    KeyPair rsa = Tokens.rsa();
    var pem = Tokens.pem(rsa);
    // the classic confusion: an HS256 token whose secret is the server's public key
    var forged = Tokens.sign(new JWSHeader(JWSAlgorithm.HS256),
        Tokens.claims("mallory", "admin").build(), pem);
    assertThat(verifier(settings("RS256", null, pem)).verify(forged))
        .isEqualTo(new TokenVerifier.Refused(401, "Token uses HS256, expected RS256"));
  }

  @Test
  void a_verified_token_is_remembered_until_it_expires() {
    var s = settings("HS256", Tokens.SECRET, null);
    var v = verifier(s);
    var token = Tokens.hs256("cached", "read-only"); // expires in an hour
    assertThat(v.verify(token)).isInstanceOf(TokenVerifier.Valid.class);
    assertThat(v.verify(token)).isInstanceOf(TokenVerifier.Valid.class);
    clock.advance(Duration.ofMinutes(60).plusSeconds(31));
    assertThat(v.verify(token)).isEqualTo(new TokenVerifier.Refused(401, "Token has expired"));
  }

  @Test
  void settings_that_cannot_work_are_refused_all_at_once() {
    assertThatThrownBy(() -> settings("HS256", "short", null))
        .hasMessageContaining("JWT_SECRET must be at least 32 bytes for HS256, was 5");
    assertThatThrownBy(() -> settings("RS256", null, null))
        .hasMessageContaining("needs exactly one of JWT_PUBLIC_KEY (or JWT_PUBLIC_KEY_FILE) and JWT_JWKS_URL");
    assertThatThrownBy(() -> settings("ES256", null, Tokens.pem(Tokens.rsa())))
        .hasMessageContaining("JWT_PUBLIC_KEY is not a EC public key");
    assertThatThrownBy(() -> settings("RS256", null, "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n"
        + "-----END RSA PUBLIC KEY-----"))
        .hasMessageContaining("must be a PEM public key");
    assertThatThrownBy(() -> settings("none", null, null))
        .hasMessageContaining("JWT_ALGORITHM must be one of");
    var junk = Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> settings("RS256", null, "-----BEGIN PUBLIC KEY-----\n" + junk
        + "\n-----END PUBLIC KEY-----")).hasMessageContaining("is not a RSA public key");
  }

  @Test
  void the_token_of_an_authorization_header_is_after_bearer_in_any_case_or_the_whole_header() {
    assertThat(JwtGate.token("Bearer abc")).isEqualTo("abc");
    assertThat(JwtGate.token("bEaReR   abc ")).isEqualTo("abc");
    assertThat(JwtGate.token("abc")).isEqualTo("abc");
    assertThat(JwtGate.token("Bearer ")).isNull();
    assertThat(JwtGate.token(null)).isNull();
  }
}
