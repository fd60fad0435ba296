package io.queen.server.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * JWT authentication of the HTTP API, from the original's {@code JWT_*} variables. Immutable; the
 * constructor checks everything and reports every problem in one message.
 *
 * @param enabled {@code JWT_ENABLED}: every route but the skipped paths needs a valid token
 * @param algorithm {@code JWT_ALGORITHM} (HS256): the one algorithm a token may be signed with
 *     (HS256/384/512, RS256/384/512, ES256/384/512, EdDSA); a token naming another is refused,
 *     so a public key can never be used as an HMAC secret
 * @param secret {@code JWT_SECRET}: the HMAC key of the HS algorithms, at least as many bytes as
 *     the hash has bits / 8. Never logged.
 * @param publicKeyPem {@code JWT_PUBLIC_KEY} (PEM text) or the content of
 *     {@code JWT_PUBLIC_KEY_FILE}: the verification key of RS, ES and EdDSA tokens
 * @param jwksUrl {@code JWT_JWKS_URL}: where the verification keys are fetched instead (a JSON
 *     Web Key Set; the key is picked by the token's {@code kid})
 * @param jwksRefreshInterval {@code JWT_JWKS_REFRESH_INTERVAL} (s, 3600): how often the key set is
 *     fetched again; a token with an unknown {@code kid} fetches it at once, at most once per
 *     {@code jwksMinRefreshInterval}
 * @param jwksMinRefreshInterval {@code JWT_JWKS_MIN_REFRESH_INTERVAL} (s, 30)
 * @param jwksTimeout {@code JWT_JWKS_TIMEOUT_MS} (5000): the bound on one fetch
 * @param issuer {@code JWT_ISSUER}: the {@code iss} a token must carry, or null for any
 * @param audience {@code JWT_AUDIENCE}: an {@code aud} a token must carry, or null for any
 * @param clockSkew {@code JWT_CLOCK_SKEW} (s, 30): tolerance on {@code exp} and {@code nbf}
 * @param skipPaths {@code JWT_SKIP_PATHS}: request paths that need no token, each exact, or a
 *     prefix when it ends in {@code /} and is longer than {@code /}
 * @param rolesClaim {@code JWT_ROLES_CLAIM} (role): a claim holding one role
 * @param rolesArrayClaim {@code JWT_ROLES_ARRAY_CLAIM} (roles): a claim holding a list of roles
 * @param roleAdmin {@code JWT_ROLE_ADMIN} (admin)
 * @param roleReadWrite {@code JWT_ROLE_READ_WRITE} (read-write)
 * @param roleReadOnly {@code JWT_ROLE_READ_ONLY} (read-only)
 */
public record AuthSettings(
    boolean enabled,
    String algorithm,
    String secret,
    String publicKeyPem,
    URI jwksUrl,
    Duration jwksRefreshInterval,
    Duration jwksMinRefreshInterval,
    Duration jwksTimeout,
    String issuer,
    String audience,
    Duration clockSkew,
    List<String> skipPaths,
    String rolesClaim,
    String rolesArrayClaim,
    String roleAdmin,
    String roleReadWrite,
    String roleReadOnly) {

  public static final List<String> ALGORITHMS = List.of("HS256", "HS384", "HS512", "RS256",
      "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA");
  /** The original's list, plus {@code /health/} for the liveness and readiness probes. */
  public static final List<String> DEFAULT_SKIP_PATHS =
      List.of("/health", "/health/", "/metrics/prometheus", "/metrics", "/");

  /** Authentication off: every route is open. */
  public static final AuthSettings DISABLED = new AuthSettings(false, "HS256", null, null, null,
      Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofSeconds(5), null, null,
      Duration.ofSeconds(30), DEFAULT_SKIP_PATHS, "role", "roles", "admin", "read-write",
      "read-only");

  public AuthSettings {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(jwksRefreshInterval, "jwksRefreshInterval");
    Objects.requireNonNull(jwksMinRefreshInterval, "jwksMinRefreshInterval");
    Objects.requireNonNull(jwksTimeout, "jwksTimeout");
    Objects.requireNonNull(clockSkew, "clockSkew");
    skipPaths = List.copyOf(skipPaths);
    var problems = new ArrayList<String>();
    if (!ALGORITHMS.contains(algorithm)) {
      problems.add("JWT_ALGORITHM must be one of " + ALGORITHMS + ", was '" + algorithm + "'");
    }
    if (jwksRefreshInterval.toSeconds() < 1 || jwksRefreshInterval.toDays() > 7) {
      problems.add("JWT_JWKS_REFRESH_INTERVAL must be between 1 and 604800 seconds, was "
          + jwksRefreshInterval.toSeconds());
    }
    if (jwksMinRefreshInterval.isNegative() || jwksMinRefreshInterval.compareTo(jwksRefreshInterval) > 0) {
      problems.add("JWT_JWKS_MIN_REFRESH_INTERVAL must be between 0 and JWT_JWKS_REFRESH_INTERVAL ("
          + jwksRefreshInterval.toSeconds() + "), was " + jwksMinRefreshInterval.toSeconds());
    }
    if (jwksTimeout.toMillis() < 100 || jwksTimeout.toMillis() > 60_000) {
      problems.add("JWT_JWKS_TIMEOUT_MS must be between 100 and 60000, was " + jwksTimeout.toMillis());
    }
    if (clockSkew.isNegative() || clockSkew.toSeconds() > 3600) {
      problems.add("JWT_CLOCK_SKEW must be between 0 and 3600 seconds, was " + clockSkew.toSeconds());
    }
    for (var path : skipPaths) {
      if (!path.startsWith("/")) {
        problems.add("JWT_SKIP_PATHS entries must start with '/', was '" + path + "'");
      }
    }
    for (var role : new String[] {rolesClaim, rolesArrayClaim, roleAdmin, roleReadWrite, roleReadOnly}) {
      if (role == null || role.isBlank()) {
        problems.add("JWT_ROLES_CLAIM, JWT_ROLES_ARRAY_CLAIM and JWT_ROLE_* must not be empty");
        break;
      }
    }
    if (jwksUrl != null && !List.of("http", "https").contains(
        String.valueOf(jwksUrl.getScheme()).toLowerCase(Locale.ROOT))) {
      problems.add("JWT_JWKS_URL must be an http or https URL, was '" + jwksUrl + "'");
    }
    if (enabled && ALGORITHMS.contains(algorithm)) {
      if (algorithm.startsWith("HS")) {
        int bytes = Integer.parseInt(algorithm.substring(2)) / 8;
        if (secret == null) {
          problems.add("JWT_ENABLED with JWT_ALGORITHM=" + algorithm + " needs JWT_SECRET");
        } else if (secret.getBytes(StandardCharsets.UTF_8).length < bytes) {
          problems.add("JWT_SECRET must be at least " + bytes + " bytes for " + algorithm + ", was "
              + secret.getBytes(StandardCharsets.UTF_8).length);
        }
        if (publicKeyPem != null || jwksUrl != null) {
          problems.add("JWT_PUBLIC_KEY and JWT_JWKS_URL are for RS, ES and EdDSA; " + algorithm
              + " verifies with JWT_SECRET");
        }
      } else {
        if ((publicKeyPem == null) == (jwksUrl == null)) {
          problems.add("JWT_ENABLED with JWT_ALGORITHM=" + algorithm
              + " needs exactly one of JWT_PUBLIC_KEY (or JWT_PUBLIC_KEY_FILE) and JWT_JWKS_URL");
        }
        if (secret != null) {
          problems.add("JWT_SECRET is for the HS algorithms; " + algorithm
              + " verifies with a public key");
        }
        if (publicKeyPem != null) {
          try {
            VerificationKeys.verifier(algorithm, VerificationKeys.parsePem(algorithm, publicKeyPem));
          } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Whether {@code path} (the request's, without its query) needs no token. */
  public boolean skips(String path) {
    for (var entry : skipPaths) {
      if (entry.equals(path)
          || entry.length() > 1 && entry.endsWith("/") && path.startsWith(entry)) {
        return true;
      }
    }
    return false;
  }

  /** The settings as variable = value lines, the secret hidden. */
  public Map<String, Object> describe() {
    var m = new LinkedHashMap<String, Object>();
    m.put("JWT_ENABLED", enabled);
    if (!enabled) {
      return m;
    }
    m.put("JWT_ALGORITHM", algorithm);
    m.put("JWT_SECRET", secret == null ? "(none)" : "****");
    m.put("JWT_PUBLIC_KEY", publicKeyPem == null ? "(none)" : "(a PEM key)");
    m.put("JWT_JWKS_URL", jwksUrl == null ? "(none)" : jwksUrl);
    if (jwksUrl != null) {
      m.put("JWT_JWKS_REFRESH_INTERVAL", jwksRefreshInterval.toSeconds());
      m.put("JWT_JWKS_MIN_REFRESH_INTERVAL", jwksMinRefreshInterval.toSeconds());
      m.put("JWT_JWKS_TIMEOUT_MS", jwksTimeout.toMillis());
    }
    m.put("JWT_ISSUER", issuer == null ? "(any)" : issuer);
    m.put("JWT_AUDIENCE", audience == null ? "(any)" : audience);
    m.put("JWT_CLOCK_SKEW", clockSkew.toSeconds());
    m.put("JWT_SKIP_PATHS", String.join(",", skipPaths));
    m.put("JWT_ROLES_CLAIM", rolesClaim);
    m.put("JWT_ROLES_ARRAY_CLAIM", rolesArrayClaim);
    m.put("JWT_ROLE_ADMIN", roleAdmin);
    m.put("JWT_ROLE_READ_WRITE", roleReadWrite);
    m.put("JWT_ROLE_READ_ONLY", roleReadOnly);
    return m;
  }
}
