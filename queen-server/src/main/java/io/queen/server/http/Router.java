package io.queen.server.http;

import io.queen.error.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps method and path to an endpoint. Paths are matched segment by segment on the raw (still
 * encoded) request path, and each parameter is percent-decoded on its own, so a queue named
 * {@code a/b} sent as {@code a%2Fb} round-trips. Immutable after construction; thread-safe.
 */
public final class Router {
  /**
   * One endpoint.
   *
   * @param method HTTP method
   * @param pattern path such as {@code /api/v1/pop/queue/:queue}
   * @param operation the name metrics use for it
   * @param readsBody whether the request body is read before the handler runs
   * @param handler the endpoint
   */
  public record Route(String method, String pattern, String operation, boolean readsBody,
      ApiHandler handler) {
    String[] segments() {
      return split(pattern);
    }
  }

  /** A matched route and its decoded parameters. */
  public record Match(Route route, List<String> params) {}

  private final List<Route> routes;
  private final List<String[]> patterns = new ArrayList<>();

  public Router(List<Route> routes) {
    this.routes = List.copyOf(routes);
    for (var r : this.routes) {
      patterns.add(r.segments());
    }
  }

  /**
   * The route for this request, or null when none matches.
   *
   * @throws InvalidRequestException when a path parameter is not valid percent-encoded UTF-8
   */
  public Match match(String method, String rawPath) {
    var segments = split(rawPath);
    for (int i = 0; i < routes.size(); i++) {
      var route = routes.get(i);
      if (!route.method().equals(method)) {
        continue;
      }
      var pattern = patterns.get(i);
      if (pattern.length != segments.length) {
        continue;
      }
      List<String> params = null;
      boolean ok = true;
      for (int s = 0; s < pattern.length && ok; s++) {
        if (pattern[s].startsWith(":")) {
          if (segments[s].isEmpty()) {
            ok = false;
          } else {
            if (params == null) {
              params = new ArrayList<>(2);
            }
            params.add(decode(pattern[s].substring(1), segments[s]));
          }
        } else {
          ok = pattern[s].equals(segments[s]);
        }
      }
      if (ok) {
        return new Match(route, params == null ? List.of() : params);
      }
    }
    return null;
  }

  private static String[] split(String path) {
    var p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.split("/", -1);
  }

  /**
   * A path segment's RFC 3986 percent-decoding as UTF-8; '+' is a literal plus in a path.
   *
   * @throws InvalidRequestException naming {@code name} when it is not valid percent-encoded UTF-8
   */
  public static String decode(String name, String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    var out = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          throw bad(name, segment);
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw bad(name, segment);
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int cp = segment.codePointAt(i);
        var bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        i += Character.charCount(cp) - 1;
      }
    }
    var decoder = StandardCharsets.UTF_8.newDecoder();
    try {
      return decoder.decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw bad(name, segment);
    }
  }

  private static InvalidRequestException bad(String name, String segment) {
    return new InvalidRequestException(name,
        name + " is not valid percent-encoded UTF-8: '" + segment + "'");
  }
}
