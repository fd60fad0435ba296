package io.queen.server.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A JSON Web Key Set served on loopback, whose keys a test replaces, counting the fetches. */
final class JwksServer implements AutoCloseable {
  private final HttpServer http;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile String body = "{\"keys\":[]}";
  private volatile int status = 200;

  JwksServer() {
    try {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    http.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      var bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    http.start();
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/jwks.json";
  }

  /** From now on it serves these RSA public keys, by key id. */
  void serve(List<String> kids, List<KeyPair> keys) {
    var jwks = new ArrayList<JWK>();
    for (int i = 0; i < kids.size(); i++) {
      jwks.add(new RSAKey.Builder((RSAPublicKey) keys.get(i).getPublic()).keyID(kids.get(i)).build());
    }
    body = new JWKSet(jwks).toString();
    status = 200;
  }

  void failWith(int newStatus) {
    status = newStatus;
  }

  int fetches() {
    return fetches.get();
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
