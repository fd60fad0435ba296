package io.queen.server.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain {@link Socket}, byte for byte: for what the JDK's HttpClient refuses to
 * send (raw NUL or control characters in a request line, a Content-Length that lies, bytes that
 * are not UTF-8 in a path, half a body and then silence), and for paths a client would tidy up
 * ({@code /assets/../x}). Every read has a bound, so a server that never answers fails the test
 * instead of hanging it. Not thread-safe; one instance per thread.
 */
public final class RawHttp {
  /** The longest any single read may block: the server answers loopback requests far sooner. */
  public static final Duration READ_BOUND = Duration.ofSeconds(10);

  private final int port;

  public RawHttp(int port) {
    this.port = port;
  }

  /** A response as read off the wire; header names in lower case. */
  public record Response(int status, String reason, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return status + " " + text();
    }
  }

  /**
   * A request with an exact Content-Length (omitted when {@code body} is null) and
   * {@code Connection: close}; {@code target} goes into the request line unchanged.
   */
  public static byte[] request(String method, String target, String contentType, byte[] body) {
    var head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1\r\n");
    head.append("Connection: close\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    var out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** Sends {@code bytes} as they are and reads one response. */
  public Response exchange(byte[] bytes) {
    try (var socket = open()) {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Response send(String method, String target, byte[] body) {
    return exchange(request(method, target, "application/json", body));
  }

  /** A connected socket whose reads give up after {@link #READ_BOUND}. */
  Socket open() throws IOException {
    var socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_BOUND.toMillis());
    socket.setSoTimeout((int) READ_BOUND.toMillis());
    socket.setTcpNoDelay(true);
    return socket;
  }

  /**
   * Reads one response: status line, headers, then a body by Content-Length, by chunks, or (with
   * neither) to the end of the stream.
   *
   * @throws SocketTimeoutException when the server says nothing within the socket's timeout
   */
  static Response read(InputStream in) throws IOException {
    var statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("the server closed the connection without a response");
    }
    var parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    var headers = new LinkedHashMap<String, String>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          h.substring(colon + 1).trim());
    }
    byte[] body;
    var length = headers.get("content-length");
    if (status == 204 || status == 304) {
      body = new byte[0];
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      var out = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
          size = Integer.parseInt(line(in).trim(), 16)) {
        out.writeBytes(in.readNBytes(size));
        line(in);
      }
      line(in);
      body = out.toByteArray();
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, parts.length > 2 ? parts[2] : "", headers, body);
  }

  /**
   * True when the server closes the connection (end of stream, or a reset) within
   * {@code within}, reading and discarding anything it sends first; false when it is still open.
   */
  static boolean closesWithin(Socket socket, Duration within) throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    var in = socket.getInputStream();
    var buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // a response before the close is fine
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** One CRLF-terminated line as ISO-8859-1, or null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    var out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        var s = out.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      out.write(b);
    }
    return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
  }
}
