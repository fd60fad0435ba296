package io.queen.server.worker;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Set;

/**
 * The CORS headers of every response, from {@code CORS_ALLOWED_ORIGINS}: {@code *} (the
 * original's, and the default) lets any page call the API; a list of origins names the pages
 * that may, and a request from any other origin gets no {@code Access-Control-Allow-Origin}, so
 * the browser keeps the answer from its script. Immutable; any IO thread.
 */
public final class Cors {
  private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
  private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
  private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
  private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");

  /** Any origin, as the original answers. */
  public static final Cors ANY = new Cors(List.of("*"));

  private final boolean any;
  private final Set<String> origins;

  /** @param allowed {@code *}, or origins such as {@code https://ops.example.com} */
  public Cors(List<String> allowed) {
    this.any = allowed.contains("*");
    this.origins = Set.copyOf(allowed);
  }

  void apply(HeaderMap request, HeaderMap response) {
    if (any) {
      response.put(ALLOW_ORIGIN, "*");
    } else {
      response.put(Headers.VARY, "Origin");
      var origin = request.getFirst(Headers.ORIGIN);
      if (origin == null || !origins.contains(origin)) {
        return;
      }
      response.put(ALLOW_ORIGIN, origin);
    }
    response.put(ALLOW_METHODS, "GET, POST, PUT, DELETE, OPTIONS");
    response.put(ALLOW_HEADERS, "Content-Type, Authorization, traceparent, tracestate");
    response.put(MAX_AGE, "86400");
  }
}
