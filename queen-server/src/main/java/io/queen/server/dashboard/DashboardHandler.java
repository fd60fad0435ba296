package io.queen.server.dashboard;

import io.queen.error.InvalidRequestException;
import io.queen.server.http.ApiResponse;
import io.queen.server.http.Router;
import io.queen.server.worker.IoThreadWorker;
import io.queen.server.worker.NoRouteHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * Answers the dashboard's requests, those a GET or HEAD that matches no route makes: its index at
 * {@code /} and at every path of the page's own (the single-page fallback), its files at
 * {@code /assets/<version hash>/...} and uPlot's at {@code /webjars/uplot/<version>/dist/...}.
 * Anything else it leaves to the JSON 404, so an unknown API path, a file that does not exist
 * and a path that tries to climb out of the directory all get the same answer they always had.
 *
 * <p>Look-ups are only ever made in the in-memory map built at start-up ({@link DashboardAssets}),
 * by the raw path exactly as sent, never in the file system or the class loader at request
 * time; so no path, however encoded, can reach a file that was not loaded, and answering never
 * blocks the IO thread. Paths with dot segments, encoded dots, slashes or backslashes, control
 * characters or empty segments are refused before the look-up all the same, so the single-page
 * fallback does not answer them either.
 *
 * <p>Answers go through {@link IoThreadWorker#respondNow} with the operation {@value #OPERATION}:
 * they are counted in the HTTP metrics and the access log like every other answer, with the
 * worker's CORS headers. Immutable; called on the request's IO thread.
 */
public final class DashboardHandler implements NoRouteHandler {
  /** The operation the HTTP metrics count the dashboard's answers under. */
  public static final String OPERATION = "dashboard";
  static final String CSP = "default-src 'self'; img-src 'self' data:; "
      + "style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; "
      + "base-uri 'self'; form-action 'self'";
  private static final HttpString CONTENT_SECURITY_POLICY =
      new HttpString("Content-Security-Policy");
  private static final HttpString CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
  private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");

  private final DashboardAssets assets;

  DashboardHandler(DashboardAssets assets) {
    this.assets = assets;
  }

  /**
   * Start-up: reads every file of the dashboard and of uPlot from {@code loader} into memory.
   *
   * @throws IllegalStateException when they are not on the class path (a broken build)
   */
  public static DashboardHandler load(ClassLoader loader) {
    return new DashboardHandler(DashboardAssets.load(loader));
  }

  /** For the start-up log: how many files, under which version hash, with which uPlot. */
  public String summary() {
    return assets.size() + " files at /assets/" + assets.version() + "/, uPlot "
        + assets.uplotVersion();
  }

  @Override
  public boolean answer(HttpServerExchange exchange, IoThreadWorker worker, String method,
      String rawPath) {
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      return false;
    }
    if (under(rawPath, "/assets") || under(rawPath, "/webjars")) {
      var file = safe(rawPath) ? assets.file(rawPath) : null;
      if (file == null) {
        return false;
      }
      var headers = exchange.getResponseHeaders();
      headers.put(Headers.CACHE_CONTROL, file.cacheControl());
      headers.put(CONTENT_TYPE_OPTIONS, "nosniff");
      worker.respondNow(exchange, OPERATION, ApiResponse.text(200, file.contentType(),
          file.body()));
      return true;
    }
    if (!pageRoute(rawPath)) {
      return false;
    }
    var headers = exchange.getResponseHeaders();
    var index = assets.index();
    headers.put(Headers.CACHE_CONTROL, index.cacheControl());
    headers.put(Headers.ETAG, assets.indexEtag());
    headers.put(CONTENT_TYPE_OPTIONS, "nosniff");
    headers.put(CONTENT_SECURITY_POLICY, CSP);
    headers.put(REFERRER_POLICY, "no-referrer");
    if (notModified(exchange.getRequestHeaders(), assets.indexEtag())) {
      worker.respondNow(exchange, OPERATION, new ApiResponse(304, null, 0, null, 0, null));
      return true;
    }
    worker.respondNow(exchange, OPERATION, ApiResponse.text(200, index.contentType(),
        index.body()));
    return true;
  }

  /**
   * Whether the index answers this path: the page's own routes, never a path of the API, health
   * or metrics. Below the sections that name things ({@code /queues/orders.v2},
   * {@code /groups/a%2Fb}, {@code /messages/<partition>/<transaction>}) a segment is a name,
   * which may hold dots and encoded characters: no file is looked up for it, so only what could
   * never be a name (an empty, {@code .} or {@code ..} segment, control characters) is refused.
   * Elsewhere the path must be {@link #safe} and must not name a file (no dot in its last segment).
   */
  static boolean pageRoute(String rawPath) {
    if (under(rawPath, "/api") || under(rawPath, "/assets") || under(rawPath, "/webjars")
        || rawPath.startsWith("/health") || rawPath.startsWith("/metrics")) {
      return false;
    }
    var segments = rawPath.substring(1).split("/", -1);
    int names = NAMED_SECTIONS.getOrDefault(segments[0], -1);
    if (names >= 0) {
      int count = segments.length - 1;
      if (count > 0 && segments[count].isEmpty()) {
        count--; // a trailing slash
      }
      if (count == 0 || count == names) {
        for (int i = 1; i <= count; i++) {
          if (!name(segments[i])) {
            return false;
          }
        }
        return true;
      }
    }
    return safe(rawPath) && rawPath.indexOf('.', rawPath.lastIndexOf('/')) < 0;
  }

  /** The dashboard's sections that take names, with how many path segments of names they take. */
  private static final java.util.Map<String, Integer> NAMED_SECTIONS = java.util.Map.of(
      "queues", 1, "groups", 1, "messages", 2);

  /**
   * A segment that decodes, as the router decodes names, to a possible name: valid UTF-8, not
   * empty, not . or .., no control character or backslash.
   */
  private static boolean name(String segment) {
    String decoded;
    try {
      decoded = Router.decode("name", segment);
    } catch (InvalidRequestException e) {
      return false;
    }
    if (decoded.isEmpty() || decoded.equals(".") || decoded.equals("..")) {
      return false;
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** {@code /api} itself or anything below it, but not {@code /apis}. */
  private static boolean under(String path, String prefix) {
    return path.startsWith(prefix)
        && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
  }

  /**
   * Whether a path may be looked up at all: it starts with '/', has no empty, {@code .} or
   * {@code ..} segment, no backslash, no control or non-ASCII character, and no percent-encoded
   * dot, slash, backslash or control character (nor a {@code %} that encodes nothing). The map
   * would miss such paths anyway; refusing them keeps the single-page fallback from answering
   * {@code /queues/%2e%2e} with the index, and keeps a path that some proxy would normalise
   * differently from ever meaning two things.
   */
  static boolean safe(String rawPath) {
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return false;
    }
    int segmentStart = 1;
    for (int i = 1; i <= rawPath.length(); i++) {
      char c = i < rawPath.length() ? rawPath.charAt(i) : '/';
      if (c == '/') {
        var segment = rawPath.substring(segmentStart, i);
        boolean last = i == rawPath.length();
        if (segment.isEmpty() && !last || segment.equals(".") || segment.equals("..")) {
          return false;
        }
        segmentStart = i + 1;
      } else if (c < 0x20 || c >= 0x7f || c == '\\') {
        return false;
      } else if (c == '%') {
        if (i + 2 >= rawPath.length()) {
          return false;
        }
        int hi = Character.digit(rawPath.charAt(i + 1), 16);
        int lo = Character.digit(rawPath.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return false;
        }
        int b = hi * 16 + lo;
        if (b == '.' || b == '/' || b == '\\' || b < 0x20 || b == 0x7f) {
          return false;
        }
        i += 2;
      }
    }
    return true;
  }

  /** Whether {@code If-None-Match} names the index's tag (weakly compared, as RFC 9110 says). */
  static boolean notModified(HeaderMap request, String etag) {
    var values = request.get(Headers.IF_NONE_MATCH);
    if (values == null) {
      return false;
    }
    for (var value : values) {
      for (var tag : value.split(",")) {
        var t = tag.trim();
        if (t.startsWith("W/")) {
          t = t.substring(2);
        }
        if (t.equals("*") || t.equals(etag)) {
          return true;
        }
      }
    }
    return false;
  }
}
