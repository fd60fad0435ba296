package io.queen.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queen.server.testing.ServerHarness;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS (key store or PEM files), HTTP/2, CORS origins and the listener's limits. */
class TransportTest {
  static final String PASSWORD = "test-keystore-password";

  @TempDir
  static Path dir;
  static Path keystore;
  static Path certPem;
  static Path keyPem;

  /** A self-signed certificate for 127.0.0.1 made by the JDK's keytool, also as PEM files. */
  @BeforeAll
  static void certificate() throws Exception {
    keystore = dir.resolve("server.p12");
    var keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    var process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "queen", "-keyalg", "RSA",
        "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    var store = KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray());
    var mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    certPem = dir.resolve("cert.pem");
    Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n"
        + mime.encodeToString(store.getCertificate("queen").getEncoded()) + "\n-----END CERTIFICATE-----\n");
    keyPem = dir.resolve("key.pem");
    Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
        + mime.encodeToString(store.getKey("queen", PASSWORD.toCharArray()).getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
  }

  static HttpClient trusting(HttpClient.Version version) throws Exception {
    var store = KeyStore.getInstance(keystore.toFile(), PASSWORD.toCharArray());
    var trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("queen", store.getCertificate("queen"));
    var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    var context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).version(version)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  static HttpResponse<String> push(HttpClient client, String base) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/push"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"queue\":\"tls\",\"payload\":1}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_key_store_serves_https_and_http2_by_alpn() throws Exception {
    try (var h = ServerHarness.start(env -> {
      env.put("TLS_KEYSTORE_FILE", keystore.toString());
      env.put("TLS_KEYSTORE_PASSWORD", PASSWORD);
      return env;
    })) {
      var base = "https://127.0.0.1:" + h.server.port();
      var h2 = push(trusting(HttpClient.Version.HTTP_2), base);
      assertThat(h2.statusCode()).as(h2.body()).isEqualTo(201);
      assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
      var h1 = push(trusting(HttpClient.Version.HTTP_1_1), base);
      assertThat(h1.statusCode()).isEqualTo(201);
      assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      // and a pop over HTTP/2 gets both messages, in order
      var pop = trusting(HttpClient.Version.HTTP_2).send(HttpRequest.newBuilder(
          URI.create(base + "/api/v1/pop/queue/tls?batch=10&wait=false")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(pop.statusCode()).isEqualTo(200);
      assertThat(pop.body()).contains("\"data\":1");
      assertThat(h.server.ownerThreadViolations()).isZero();
    }
  }

  @Test
  void pem_certificate_and_key_files_serve_https_and_plain_http_is_not_answered() throws Exception {
    try (var h = ServerHarness.start(env -> {
      env.put("TLS_CERT_FILE", certPem.toString());
      env.put("TLS_KEY_FILE", keyPem.toString());
      env.put("HTTP2_ENABLED", "false");
      return env;
    })) {
      var base = "https://127.0.0.1:" + h.server.port();
      var reply = push(trusting(HttpClient.Version.HTTP_2), base);
      assertThat(reply.statusCode()).isEqualTo(201);
      assertThat(reply.version()).as("HTTP2_ENABLED=false").isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThatThrownBy(() -> h.client.send(HttpRequest.newBuilder(h.uri("/health")).build(),
          HttpResponse.BodyHandlers.ofString())).as("plain HTTP to a TLS port").isInstanceOf(IOException.class);
    }
  }

  @Test
  void tls_settings_that_cannot_work_are_named_at_start() {
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TLS_CERT_FILE", certPem.toString())))
        .hasMessageContaining("TLS_CERT_FILE and TLS_KEY_FILE go together");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TLS_KEYSTORE_FILE",
        dir.resolve("missing.p12").toString(), "MAX_CONNECTIONS", "0")))
        .hasMessageContaining("does not exist or cannot be read")
        .hasMessageContaining("MAX_CONNECTIONS must be between 1 and 1000000, was 0");
    var wrong = ServerConfig.fromEnvironment(Map.of("TLS_KEYSTORE_FILE", keystore.toString(),
        "TLS_KEYSTORE_PASSWORD", "not-it"));
    assertThatThrownBy(() -> wrong.listener().tls().sslContext())
        .hasMessageContaining("cannot set up TLS from TLS_KEYSTORE_FILE");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TLS_CERT_FILE", certPem.toString(),
        "TLS_KEY_FILE", certPem.toString())).listener().tls().sslContext())
        .hasMessageContaining("is not an unencrypted PKCS#8 PEM key");
    assertThat(ServerConfig.fromEnvironment(Map.of("TLS_KEYSTORE_FILE", keystore.toString(),
        "TLS_KEYSTORE_PASSWORD", PASSWORD)).toString()).doesNotContain(PASSWORD);
  }

  @Test
  void a_list_of_cors_origins_answers_only_those_origins() {
    try (var h = ServerHarness.start(env -> {
      env.put("CORS_ALLOWED_ORIGINS", "https://ops.example.com, http://localhost:5173");
      return env;
    })) {
      var allowed = h.send(HttpRequest.newBuilder(h.uri("/health"))
          .header("Origin", "https://ops.example.com"));
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
          .contains("https://ops.example.com");
      assertThat(allowed.headers().firstValue("Vary")).contains("Origin");
      var other = h.send(HttpRequest.newBuilder(h.uri("/health")).header("Origin", "https://evil.example"));
      assertThat(other.status()).isEqualTo(200);
      assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("CORS_ALLOWED_ORIGINS",
        "https://ok.example, ops.example.com/path")))
        .hasMessageContaining("CORS_ALLOWED_ORIGINS entries are * or scheme://host[:port] with no path, "
            + "was 'ops.example.com/path'");
  }

  @Test
  void a_body_slower_than_the_request_timeout_gets_408_and_nothing_is_stored() throws Exception {
    try (var h = ServerHarness.start(env -> {
      env.put("REQUEST_TIMEOUT_MS", "300");
      return env;
    }); var socket = new Socket("127.0.0.1", h.server.port())) {
      socket.setSoTimeout(10_000);
      var body = "{\"items\":[{\"queue\":\"slow\",\"payload\":1}]}";
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 10))
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      var answer = readAll(socket.getInputStream()); // the server answers, then closes
      assertThat(answer).startsWith("HTTP/1.1 408").contains("then nothing for 300 ms");
      assertThat(h.get("/api/v1/resources/queues").body()).doesNotContain("\"slow\"");
    }
  }

  @Test
  void a_request_head_over_the_header_limit_is_refused() throws Exception {
    try (var h = ServerHarness.start(env -> {
      env.put("MAX_HEADER_SIZE", "2048");
      return env;
    })) {
      var reply = h.send(HttpRequest.newBuilder(h.uri("/health")).header("X-Big", "x".repeat(4096)));
      assertThat(reply.status()).isGreaterThanOrEqualTo(400).isLessThan(500);
      assertThat(h.get("/health").status()).isEqualTo(200);
    }
  }

  @Test
  void an_idle_keep_alive_connection_is_closed_but_a_long_poll_longer_than_that_is_not() throws Exception {
    try (var h = ServerHarness.start(env -> {
      env.put("IDLE_TIMEOUT_MS", "300");
      return env;
    }); var socket = new Socket("127.0.0.1", h.server.port())) {
      socket.setSoTimeout(10_000);
      var out = socket.getOutputStream();
      var in = socket.getInputStream();
      // a long poll of 1.5 s, five idle timeouts: answered 204, the connection still open
      out.write(("GET /api/v1/pop/queue/idle?wait=true&timeout=1500 HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(statusLine(in)).isEqualTo("HTTP/1.1 204 No Content");
      skipHeaders(in);
      // then nothing: the server closes the idle connection (read returns end of stream)
      long start = System.nanoTime();
      assertThat(in.read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void past_max_connections_a_new_connection_waits_until_one_closes() throws Exception {
    try (var h = ServerHarness.start(env -> {
      env.put("MAX_CONNECTIONS", "2");
      return env;
    }); var first = new Socket("127.0.0.1", h.server.port());
        var second = new Socket("127.0.0.1", h.server.port())) {
      for (var s : List.of(first, second)) {
        s.setSoTimeout(10_000);
        health(s);
      }
      try (var third = new Socket("127.0.0.1", h.server.port())) { // accepted by the kernel only
        third.setSoTimeout(10_000);
        third.getOutputStream().write(HEALTH);
        third.getOutputStream().flush();
        third.setSoTimeout(500);
        assertThatThrownBy(() -> third.getInputStream().read())
            .isInstanceOf(java.net.SocketTimeoutException.class);
        first.close(); // a slot frees: the waiting connection is accepted and answered
        third.setSoTimeout(10_000);
        assertThat(statusLine(third.getInputStream())).isEqualTo("HTTP/1.1 200 OK");
      }
    }
  }

  private static final byte[] HEALTH =
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static void health(Socket s) throws IOException {
    s.getOutputStream().write(HEALTH);
    s.getOutputStream().flush();
    assertThat(statusLine(s.getInputStream())).isEqualTo("HTTP/1.1 200 OK");
    int length = skipHeaders(s.getInputStream());
    s.getInputStream().readNBytes(length);
  }

  private static String statusLine(InputStream in) throws IOException {
    return line(in);
  }

  /** Reads header lines up to the blank one; the Content-Length, or 0. */
  private static int skipHeaders(InputStream in) throws IOException {
    int length = 0;
    for (var l = line(in); !l.isEmpty(); l = line(in)) {
      if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(l.substring(15).trim());
      }
    }
    return length;
  }

  private static String line(InputStream in) throws IOException {
    var b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new java.io.EOFException("connection closed after '" + b + "'");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
