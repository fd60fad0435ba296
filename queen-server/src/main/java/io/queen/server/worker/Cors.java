package io.queen.server.worker;

import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;

/** The original's CORS headers, on every response. Stateless. */
final class Cors {
  private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
  private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
  private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
  private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");

  private Cors() {}

  static void apply(HeaderMap headers) {
    headers.put(ALLOW_ORIGIN, "*");
    headers.put(ALLOW_METHODS, "GET, POST, PUT, DELETE, OPTIONS");
    headers.put(ALLOW_HEADERS, "Content-Type, Authorization, traceparent, tracestate");
    headers.put(MAX_AGE, "86400");
  }
}
