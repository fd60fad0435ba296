package io.queen.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a bearer token: its form, that it is signed with the configured algorithm by a known key,
 * its {@code exp}, {@code nbf}, {@code iss} and {@code aud}, and the roles it grants. A token that
 * passed is remembered (up to {@link #CACHE_LIMIT} of them) until it expires, so a client sending
 * the same token on every request pays for its signature once. Never blocks; thread-safe.
 */
final class TokenVerifier {
  /** Remembered tokens at most; past it the memory is emptied (a full cache means a flood). */
  static final int CACHE_LIMIT = 10_000;

  /** What a token is worth. */
  sealed interface Result permits Valid, Refused, UnknownKey {}

  /**
   * A token that passed.
   *
   * @param subject its {@code sub}, or null
   * @param granted the highest level its roles grant, or null when they grant none
   * @param expiresAt its {@code exp}, or null when it has none
   */
  record Valid(String subject, AccessLevel granted, Instant expiresAt) implements Result {}

  /** A token refused: 401, or 503 when no key could be had to check it. */
  record Refused(int status, String reason) implements Result {}

  /** A token signed by a key not (yet) known: fetch the keys and verify again. */
  record UnknownKey(String kid) implements Result {}

  private final AuthSettings settings;
  private final VerificationKeys keys;
  private final Clock clock;
  private final ConcurrentHashMap<String, Valid> verified = new ConcurrentHashMap<>();

  TokenVerifier(AuthSettings settings, VerificationKeys keys, Clock clock) {
    this.settings = settings;
    this.keys = keys;
    this.clock = clock;
  }

  /** Forgets every remembered token (the keys changed). */
  void forgetVerified() {
    verified.clear();
  }

  Result verify(String token) {
    var now = clock.instant();
    var known = verified.get(token);
    if (known != null) {
      if (known.expiresAt() == null
          || !now.isAfter(known.expiresAt().plus(settings.clockSkew()))) {
        return known;
      }
      verified.remove(token);
      return new Refused(401, "Token has expired");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return new Refused(401, "Malformed token: " + e.getMessage());
    }
    var alg = jwt.getHeader().getAlgorithm().getName();
    if (!alg.equals(settings.algorithm())
        && !(settings.algorithm().equals("EdDSA") && alg.equals("Ed25519"))) {
      return new Refused(401, "Token uses " + alg + ", expected " + settings.algorithm());
    }
    var kid = jwt.getHeader().getKeyID();
    var verifier = keys.verifier(kid);
    if (verifier == null) {
      return new UnknownKey(kid);
    }
    try {
      if (!jwt.verify(verifier)) {
        return new Refused(401, "Invalid token signature");
      }
    } catch (JOSEException e) {
      return new Refused(401, "Invalid token signature: " + e.getMessage());
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return new Refused(401, "Malformed token claims: " + e.getMessage());
    }
    var checked = check(claims, now);
    if (checked instanceof Valid valid) {
      if (verified.size() >= CACHE_LIMIT) {
        verified.clear();
      }
      verified.put(token, valid);
    }
    return checked;
  }

  /** After a fetch for {@code kid}: the answer for a key that is still unknown. */
  Refused stillUnknown(String kid) {
    var unavailable = keys.unavailable();
    return unavailable != null ? new Refused(503, "Cannot verify the token: " + unavailable)
        : new Refused(401, "Unknown key ID: " + (kid == null ? "(none)" : kid));
  }

  private Result check(JWTClaimsSet claims, Instant now) {
    var skew = settings.clockSkew();
    var exp = claims.getExpirationTime();
    if (exp != null && now.isAfter(exp.toInstant().plus(skew))) {
      return new Refused(401, "Token has expired");
    }
    var nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
      return new Refused(401, "Token is not valid yet");
    }
    if (settings.issuer() != null && !settings.issuer().equals(claims.getIssuer())) {
      return new Refused(401, "Invalid token issuer");
    }
    if (settings.audience() != null
        && (claims.getAudience() == null || !claims.getAudience().contains(settings.audience()))) {
      return new Refused(401, "Invalid token audience");
    }
    return new Valid(claims.getSubject(), granted(claims), exp == null ? null : exp.toInstant());
  }

  /** The highest level among the token's roles ({@code role} and {@code roles} claims). */
  private AccessLevel granted(JWTClaimsSet claims) {
    AccessLevel best = null;
    var single = claims.getClaim(settings.rolesClaim());
    if (single instanceof String role) {
      best = higher(best, level(role));
    }
    var many = claims.getClaim(settings.rolesArrayClaim());
    if (many instanceof List<?> list) {
      for (var role : list) {
        if (role instanceof String r) {
          best = higher(best, level(r));
        }
      }
    }
    return best;
  }

  private AccessLevel level(String role) {
    if (role.equals(settings.roleAdmin())) {
      return AccessLevel.ADMIN;
    }
    if (role.equals(settings.roleReadWrite())) {
      return AccessLevel.READ_WRITE;
    }
    if (role.equals(settings.roleReadOnly())) {
      return AccessLevel.READ_ONLY;
    }
    return null;
  }

  private static AccessLevel higher(AccessLevel a, AccessLevel b) {
    return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
  }
}
