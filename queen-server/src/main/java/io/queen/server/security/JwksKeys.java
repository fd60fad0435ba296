package io.queen.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verification keys from a JSON Web Key Set at a URL, held in memory and fetched again, without
 * blocking the caller: when they are older than the refresh interval (the request that notices
 * still uses the keys it has), and when a token names a {@code kid} they lack (that request waits
 * for the fetch), such fetches at most once per minimum interval so a flood of made-up
 * {@code kid}s costs one fetch per interval (a key rotated in right after one waits for the next). One fetch runs at a time; those who ask meanwhile share it. Fetches run on the JDK HTTP
 * client's own thread ({@code queen-jwks}). Thread-safe.
 */
final class JwksKeys implements VerificationKeys, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);

  /** The keys of one fetch, by {@code kid}; a key without one is found under "". */
  private record Loaded(Map<String, JWSVerifier> byKid, Instant at) {}

  private final URI url;
  private final String algorithm;
  private final Duration refreshInterval;
  private final Duration minRefreshInterval;
  private final Duration timeout;
  private final Clock clock;
  private final ExecutorService executor;
  private final HttpClient http;
  private final Runnable onChange;
  private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();
  private volatile Loaded loaded = new Loaded(Map.of(), Instant.EPOCH);
  private volatile String lastBody;
  private volatile Instant lastAttempt = Instant.EPOCH;
  private volatile Instant lastForUnknownKid = Instant.EPOCH;
  private volatile String lastError = "not fetched yet";
  private volatile long fetches;

  /**
   * @param onChange run after every fetch that brought a different key set (the token cache is
   *     emptied, so a key taken out of the set stops working at once)
   */
  JwksKeys(AuthSettings settings, Clock clock, Runnable onChange) {
    this.url = settings.jwksUrl();
    this.algorithm = settings.algorithm();
    this.refreshInterval = settings.jwksRefreshInterval();
    this.minRefreshInterval = settings.jwksMinRefreshInterval();
    this.timeout = settings.jwksTimeout();
    this.clock = clock;
    this.onChange = onChange;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      var t = new Thread(r, "queen-jwks");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().executor(executor).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Start-up: the first fetch, waited for (bounded by the timeout); a failure is logged, not fatal. */
  void loadNow() {
    try {
      fetch().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("JWT: the key set at {} could not be fetched at start ({}); it is fetched again when "
          + "a token needs it", url, e.getMessage());
    }
    if (unavailable() != null) {
      LOG.warn("JWT: no keys from {} yet: {}", url, lastError);
    }
  }

  @Override
  public JWSVerifier verifier(String kid) {
    var keys = loaded;
    var now = clock.instant();
    // stale keys: fetched again in the background while this request goes on with them (with
    // none at all, the unknown key id path fetches and the request waits for it)
    if (!keys.byKid().isEmpty() && Duration.between(keys.at(), now).compareTo(refreshInterval) >= 0
        && Duration.between(lastAttempt, now).compareTo(minRefreshInterval) >= 0) {
      fetch();
    }
    var verifier = keys.byKid().get(kid == null ? "" : kid);
    if (verifier == null && kid == null && keys.byKid().size() == 1) {
      verifier = keys.byKid().values().iterator().next();
    }
    return verifier;
  }

  @Override
  public CompletableFuture<Void> refreshFor(String kid) {
    var running = inFlight.get();
    if (running != null) {
      return running;
    }
    var now = clock.instant();
    if (Duration.between(lastForUnknownKid, now).compareTo(minRefreshInterval) < 0) {
      return CompletableFuture.completedFuture(null);
    }
    lastForUnknownKid = now;
    LOG.debug("JWT: unknown key id '{}', fetching {}", kid, url);
    return fetch();
  }

  @Override
  public String unavailable() {
    return loaded.byKid().isEmpty()
        ? "no verification key could be had from " + url + ": " + lastError : null;
  }

  /** Completes when no fetch runs (tests). */
  CompletableFuture<Void> idle() {
    var running = inFlight.get();
    return running == null ? CompletableFuture.completedFuture(null) : running;
  }

  /** Fetches made so far (tests). */
  long fetches() {
    return fetches;
  }

  /** Starts a fetch unless one runs; the future completes (never exceptionally) when it is done. */
  private CompletableFuture<Void> fetch() {
    var mine = new CompletableFuture<Void>();
    var running = inFlight.compareAndExchange(null, mine);
    if (running != null) {
      return running;
    }
    lastAttempt = clock.instant();
    fetches++;
    var request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Accept", "application/json").GET().build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      try {
        if (error != null) {
          failed("fetching it failed: " + error);
        } else if (response.statusCode() != 200) {
          failed("it answered HTTP " + response.statusCode());
        } else {
          install(response.body());
        }
      } catch (RuntimeException e) {
        failed(e.toString());
      } finally {
        inFlight.set(null);
        mine.complete(null);
      }
    });
    return mine;
  }

  private void install(String body) {
    if (body.equals(lastBody) && !loaded.byKid().isEmpty()) {
      loaded = new Loaded(loaded.byKid(), clock.instant());
      return;
    }
    JWKSet set;
    try {
      set = JWKSet.parse(body);
    } catch (java.text.ParseException e) {
      failed("it is not a JSON Web Key Set: " + e.getMessage());
      return;
    }
    var byKid = new HashMap<String, JWSVerifier>();
    int skipped = 0;
    for (var jwk : set.getKeys()) {
      try {
        var key = VerificationKeys.publicKey(algorithm, jwk);
        if (key == null || jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(algorithm)
            && !(algorithm.equals("EdDSA") && jwk.getAlgorithm().getName().equals("Ed25519"))) {
          skipped++;
          continue;
        }
        byKid.put(jwk.getKeyID() == null ? "" : jwk.getKeyID(),
            VerificationKeys.verifier(algorithm, key));
      } catch (JOSEException | IllegalArgumentException e) {
        skipped++;
        LOG.warn("JWT: key '{}' of {} cannot be used: {}", jwk.getKeyID(), url, e.getMessage());
      }
    }
    if (byKid.isEmpty()) {
      failed("it holds no " + algorithm + " key (" + skipped + " of other kinds)");
      return;
    }
    loaded = new Loaded(Map.copyOf(byKid), clock.instant());
    lastBody = body;
    lastError = null;
    LOG.info("JWT: {} key(s) from {}: {}", byKid.size(), url, byKid.keySet());
    onChange.run();
  }

  private void failed(String why) {
    lastError = why;
    LOG.warn("JWT: the key set at {} could not be loaded: {}; keeping the {} key(s) it had", url,
        why, loaded.byKid().size());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
