package io.queen.server.security;

import io.queen.server.http.ApiRequest;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Decision;
import io.queen.server.http.Principal;
import io.queen.server.http.RequestDecorator;
import io.queen.server.http.Router.Route;
import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JWT gate ({@code JWT_ENABLED=true}): a {@link RequestDecorator} that lets a request through
 * to its route only with a valid bearer token whose roles reach the route's {@link AccessLevel}
 * ({@link RouteAccess}), unless its path is one of {@code JWT_SKIP_PATHS}. A request that passes
 * carries the token's subject as its {@link Principal}. 401 for a missing, malformed, expired,
 * wrongly signed, wrong-issuer or wrong-audience token, 403 for a token without the role; the
 * reason is logged at debug, never the token.
 *
 * <p>Runs on the IO threads and never blocks: a token signed by a key the server does not know yet
 * waits, off the IO thread, for one fetch of the key set. Thread-safe.
 */
public final class JwtGate implements RequestDecorator, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JwtGate.class);

  private final AuthSettings settings;
  private final Map<Route, AccessLevel> required = new IdentityHashMap<>();
  private final VerificationKeys keys;
  private final TokenVerifier verifier;

  private JwtGate(AuthSettings settings, List<Route> routes, Clock clock) {
    this.settings = settings;
    for (var route : routes) {
      required.put(route, RouteAccess.required(route.method(), route.pattern()));
    }
    if (settings.jwksUrl() != null) {
      var jwks = new JwksKeys(settings, clock, this::forgetVerified);
      this.keys = jwks;
      this.verifier = new TokenVerifier(settings, keys, clock);
      jwks.loadNow();
    } else {
      this.keys = VerificationKeys.fixed(settings);
      this.verifier = new TokenVerifier(settings, keys, clock);
    }
  }

  /** The key set changed: a remembered token may have been signed by a key taken out of it. */
  private void forgetVerified() {
    verifier.forgetVerified();
  }

  /**
   * The gate for {@code routes} (every route the server serves: each one's level is decided
   * here, once). With a key set URL the first fetch happens here, bounded by its timeout.
   *
   * @throws IllegalArgumentException when the secret or key cannot be used
   */
  public static JwtGate start(AuthSettings settings, List<Route> routes, Clock clock) {
    if (!settings.enabled()) {
      throw new IllegalArgumentException("JWT_ENABLED is false: no gate to start");
    }
    return new JwtGate(settings, routes, clock);
  }

  /** The level each route needs (the security documentation's table, and its test). */
  public AccessLevel required(Route route) {
    return required.get(route);
  }

  @Override
  public Decision decide(Route route, ApiRequest request) {
    if (settings.skips(request.path())) {
      return Decision.pass();
    }
    var token = token(request.header("authorization"));
    if (token == null) {
      return refuse(request, 401, "Authentication required", "no token");
    }
    var result = verifier.verify(token);
    if (result instanceof TokenVerifier.UnknownKey unknown) {
      return Decision.later(keys.refreshFor(unknown.kid()).thenApply(fetched -> {
        var again = verifier.verify(token);
        return again instanceof TokenVerifier.UnknownKey
            ? decided(route, request, verifier.stillUnknown(unknown.kid()))
            : decided(route, request, again);
      }));
    }
    return decided(route, request, result);
  }

  private Decision decided(Route route, ApiRequest request, TokenVerifier.Result result) {
    if (result instanceof TokenVerifier.Refused refused) {
      return refuse(request, refused.status(), refused.reason(), refused.reason());
    }
    var valid = (TokenVerifier.Valid) result;
    var level = required.getOrDefault(route, AccessLevel.ADMIN);
    if (valid.granted() == null || valid.granted().compareTo(level) < 0) {
      return refuse(request, 403, "Insufficient permissions", "subject '" + valid.subject()
          + "' has " + (valid.granted() == null ? "no role" : valid.granted()) + ", needs " + level);
    }
    return Decision.pass(request.withPrincipal(new Principal(valid.subject(), valid.granted().label())));
  }

  private static Decision refuse(ApiRequest request, int status, String message, String why) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("JWT: {} {} refused with {}: {}", request.method(), request.path(), status, why);
    }
    var response = ApiResponse.error(status, message);
    return Decision.answer(status == 503 ? response.withRetryAfter(5) : response);
  }

  /** The token of an {@code Authorization} header: after {@code Bearer } (any case), else all of it. */
  static String token(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    var h = header.trim();
    if (h.regionMatches(true, 0, "bearer", 0, 6) && (h.length() == 6 || h.charAt(6) == ' ')) {
      h = h.substring(6).trim();
    }
    return h.isEmpty() ? null : h;
  }

  @Override
  public void close() {
    if (keys instanceof JwksKeys jwks) {
      jwks.close();
    }
  }
}
