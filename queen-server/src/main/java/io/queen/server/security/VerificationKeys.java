package io.queen.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * The keys tokens are verified with: fixed ones (a secret or a PEM key) or a key set fetched from
 * a URL. Thread-safe.
 */
interface VerificationKeys {
  /** The verifier for a token's {@code kid} (null when it has none), or null when none is known. */
  JWSVerifier verifier(String kid);

  /**
   * Fetches the keys again because a token names an unknown {@code kid}; completes when done. At
   * most one fetch runs at a time and the rate is bounded, so this may complete at once without
   * fetching.
   */
  CompletableFuture<Void> refreshFor(String kid);

  /** Why no key could be had at all (the key set never loaded), or null. */
  String unavailable();

  /** A secret or a PEM public key, fixed for the server's life. */
  static VerificationKeys fixed(AuthSettings settings) {
    var verifier = settings.algorithm().startsWith("HS")
        ? mac(settings.secret())
        : verifier(settings.algorithm(), parsePem(settings.algorithm(), settings.publicKeyPem()));
    var done = CompletableFuture.<Void>completedFuture(null);
    return new VerificationKeys() {
      @Override
      public JWSVerifier verifier(String kid) {
        return verifier;
      }

      @Override
      public CompletableFuture<Void> refreshFor(String kid) {
        return done;
      }

      @Override
      public String unavailable() {
        return null;
      }
    };
  }

  private static JWSVerifier mac(String secret) {
    try {
      return new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("JWT_SECRET cannot be used: " + e.getMessage(), e);
    }
  }

  /** A verifier for {@code algorithm}'s family with {@code key}. */
  static JWSVerifier verifier(String algorithm, PublicKey key) {
    try {
      if (algorithm.startsWith("RS") && key instanceof RSAPublicKey rsa) {
        return new RSASSAVerifier(rsa);
      }
      if (algorithm.startsWith("ES") && key instanceof ECPublicKey ec) {
        return new ECDSAVerifier(ec);
      }
      if (algorithm.equals("EdDSA") && key.getAlgorithm().matches("Ed25519|EdDSA")) {
        return new Ed25519JdkVerifier(key);
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the " + algorithm + " key cannot be used: "
          + e.getMessage(), e);
    }
    throw new IllegalArgumentException("a " + key.getAlgorithm() + " key cannot verify "
        + algorithm + " tokens");
  }

  /** The public key of a JWK, when it is one that {@code algorithm} verifies with; else null. */
  static PublicKey publicKey(String algorithm, JWK jwk) throws JOSEException {
    if (algorithm.startsWith("RS") && jwk instanceof RSAKey rsa) {
      return rsa.toRSAPublicKey();
    }
    if (algorithm.startsWith("ES") && jwk instanceof ECKey ec) {
      return ec.toECPublicKey();
    }
    if (algorithm.equals("EdDSA") && jwk instanceof OctetKeyPair okp
        && Curve.Ed25519.equals(okp.getCurve())) {
      return ed25519(okp.getX().decode());
    }
    return null;
  }

  /** A raw 32-byte Ed25519 public key as a JDK key (its X.509 form is a fixed prefix + the key). */
  private static PublicKey ed25519(byte[] raw) throws JOSEException {
    if (raw.length != 32) {
      throw new JOSEException("an Ed25519 key has 32 bytes, this one " + raw.length);
    }
    var der = new byte[44];
    var prefix = new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    System.arraycopy(prefix, 0, der, 0, prefix.length);
    System.arraycopy(raw, 0, der, prefix.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new JOSEException("not an Ed25519 key: " + e.getMessage(), e);
    }
  }

  /** A PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) for {@code algorithm}'s family. */
  static PublicKey parsePem(String algorithm, String pem) {
    var text = pem.trim();
    if (!text.startsWith("-----BEGIN PUBLIC KEY-----") || !text.contains("-----END PUBLIC KEY-----")) {
      throw new IllegalArgumentException("JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC "
          + "KEY-----); convert others with: openssl pkey -pubin -in key.pem -out public.pem");
    }
    var base64 = text.substring("-----BEGIN PUBLIC KEY-----".length(),
        text.indexOf("-----END PUBLIC KEY-----")).replaceAll("\\s", "");
    var family = algorithm.startsWith("RS") ? "RSA" : algorithm.startsWith("ES") ? "EC" : "Ed25519";
    try {
      return KeyFactory.getInstance(family)
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("JWT_PUBLIC_KEY is not a " + family + " public key, as "
          + algorithm + " needs: " + e.getMessage(), e);
    }
  }
}
