package io.queen.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;

/** Signed test tokens. */
public final class Tokens {
  public static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256!";

  private Tokens() {}

  static JWTClaimsSet.Builder claims(String sub, String role) {
    var now = Instant.now();
    var b = new JWTClaimsSet.Builder().subject(sub).issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(3600)));
    return role == null ? b : b.claim("role", role);
  }

  public static String hs256(String sub, String role) {
    return hs256(claims(sub, role).build());
  }

  static String hs256(JWTClaimsSet claims) {
    return sign(new JWSHeader(JWSAlgorithm.HS256), claims, SECRET);
  }

  static String sign(JWSHeader header, JWTClaimsSet claims, String secret) {
    try {
      var jwt = new SignedJWT(header, claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rs256(KeyPair keys, String kid, JWTClaimsSet claims) {
    try {
      var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
      jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String es256(KeyPair keys, JWTClaimsSet claims) {
    try {
      var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
      jwt.sign(new ECDSASigner((ECPrivateKey) keys.getPrivate()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** EdDSA signed by the JDK (nimbus's signer needs Tink). */
  static String eddsa(KeyPair keys, JWTClaimsSet claims) {
    var enc = Base64.getUrlEncoder().withoutPadding();
    var input = enc.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + enc.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      var s = Signature.getInstance("Ed25519");
      s.initSign(keys.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + enc.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair rsa() {
    return generate("RSA", g -> g.initialize(2048));
  }

  static KeyPair ec() {
    return generate("EC", g -> {
      try {
        g.initialize(new ECGenParameterSpec("secp256r1"));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static KeyPair ed25519() {
    return generate("Ed25519", g -> {});
  }

  interface Init {
    void apply(KeyPairGenerator g);
  }

  private static KeyPair generate(String algorithm, Init init) {
    try {
      var g = KeyPairGenerator.getInstance(algorithm);
      init.apply(g);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PEM "PUBLIC KEY" of a key pair. */
  static String pem(KeyPair keys) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  public static UnaryOperator<java.util.Map<String, String>> hs256Server() {
    return env -> {
      env.put("JWT_ENABLED", "true");
      env.put("JWT_SECRET", SECRET);
      return env;
    };
  }
}
