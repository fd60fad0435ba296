package io.queen.server.http;

import io.undertow.util.HeaderMap;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A parsed request as plain data: what decorators and handlers see instead of the exchange, so
 * they and the threads completing their futures never touch an {@code HttpServerExchange}.
 *
 * <p>Built on the request's IO thread. The query parameters and headers are Undertow's own
 * collections, not copies (a copy per request would cost what no route needs): read them on the
 * IO thread, where decorators and handlers run, and never change them. The rest is immutable.
 */
public final class ApiRequest {
  private final String method;
  private final String path;
  private final List<String> pathParams;
  private final Map<String, Deque<String>> query;
  private final HeaderMap headers;
  private final byte[] body;
  private final Principal principal;

  /**
   * @param method the HTTP method
   * @param path the raw request path
   * @param pathParams percent-decoded path parameters, in route order
   * @param query query parameters as sent, still percent-encoded (Undertow's parser, URL
   *     decoding off): read them through {@link io.queen.server.wire.QueryParams}, which decodes
   * @param headers the request headers (Undertow's parser)
   * @param body the request body, empty for routes that read none
   */
  public ApiRequest(String method, String path, List<String> pathParams,
      Map<String, Deque<String>> query, HeaderMap headers, byte[] body) {
    this(method, path, pathParams, query, headers, body, null);
  }

  private ApiRequest(String method, String path, List<String> pathParams,
      Map<String, Deque<String>> query, HeaderMap headers, byte[] body, Principal principal) {
    this.method = method;
    this.path = path;
    this.pathParams = pathParams;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.principal = principal;
  }

  /** This request as sent by {@code who} (an authenticating decorator's result). */
  public ApiRequest withPrincipal(Principal who) {
    return new ApiRequest(method, path, pathParams, query, headers, body, who);
  }

  /** Who sent it, when an authenticating decorator established that; null otherwise. */
  public Principal principal() {
    return principal;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public List<String> pathParams() {
    return pathParams;
  }

  public String pathParam(int index) {
    return pathParams.get(index);
  }

  public Map<String, Deque<String>> query() {
    return query;
  }

  /** IO thread: the first value of a header (name case-insensitive), or null when absent. */
  public String header(String name) {
    return headers.getFirst(name);
  }

  public byte[] body() {
    return body;
  }
}
