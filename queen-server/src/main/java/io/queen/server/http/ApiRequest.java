package io.queen.server.http;

import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A parsed request as plain data: what a handler sees instead of the exchange, so handlers and the
 * threads completing their futures never touch an {@code HttpServerExchange}.
 *
 * @param method the HTTP method
 * @param path the raw request path
 * @param pathParams percent-decoded path parameters, in route order
 * @param query decoded query parameters (Undertow's parser)
 * @param body the request body, empty for routes that read none
 */
public record ApiRequest(
    String method, String path, List<String> pathParams, Map<String, Deque<String>> query,
    byte[] body) {

  public String pathParam(int index) {
    return pathParams.get(index);
  }
}
