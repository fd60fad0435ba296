package io.queen.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection on a plain blocking socket, used by one thread. Much cheaper
 * in CPU than {@code java.net.http.HttpClient} on a 2-core machine shared with the server under
 * test: one syscall to write a request, typically one to read the reply. Handles
 * {@code Content-Length} and chunked replies; reconnects when the server closed the connection.
 */
final class HttpConn implements AutoCloseable {
  /** A reply: status and body bytes. */
  record Reply(int status, byte[] body) {}

  private final String host;
  private final int port;
  private final int readTimeoutMs;
  private final byte[] hostHeader;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private final StringBuilder line = new StringBuilder(128);

  /** @param authorization an {@code Authorization: ...\r\n} line sent with every request, or null */
  HttpConn(String host, int port, int readTimeoutMs, String authorization) {
    this.host = host;
    this.port = port;
    this.readTimeoutMs = readTimeoutMs;
    this.hostHeader = ("Host: " + host + ":" + port + "\r\n" + (authorization == null ? "" : authorization))
        .getBytes(StandardCharsets.US_ASCII);
  }

  private void connect() throws IOException {
    close();
    var s = new Socket();
    s.setTcpNoDelay(true);
    s.setKeepAlive(true);
    s.connect(new InetSocketAddress(host, port), 5_000);
    s.setSoTimeout(readTimeoutMs);
    socket = s;
    out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
  }

  /** Sends one request and reads its reply; retries once on a connection the server had closed. */
  Reply request(String method, String target, byte[] body) throws IOException {
    boolean fresh = socket == null;
    if (fresh) {
      connect();
    }
    try {
      return exchange(method, target, body);
    } catch (EOFException | java.net.SocketException e) {
      if (fresh) {
        throw e;
      }
      connect(); // stale keep-alive connection: retry once on a new one
      return exchange(method, target, body);
    }
  }

  private Reply exchange(String method, String target, byte[] body) throws IOException {
    var head = new StringBuilder(96).append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(hostHeader);
    if (body != null) {
      out.write(("Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
    } else {
      out.write('\r');
      out.write('\n');
    }
    out.flush();
    return readReply(method.equals("HEAD"));
  }

  private Reply readReply(boolean head) throws IOException {
    String status = readLine();
    if (status.length() < 12 || !status.startsWith("HTTP/1.")) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = status.startsWith("HTTP/1.0");
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("Connection")) {
        close = value.equalsIgnoreCase("close");
      }
    }
    byte[] body;
    if (head || code == 204 || code == 304 || (code >= 100 && code < 200)) {
      body = new byte[0];
    } else if (chunked) {
      body = readChunked();
    } else if (length >= 0) {
      body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new EOFException("connection closed in the middle of a reply body");
      }
    } else {
      body = in.readAllBytes();
      close = true;
    }
    if (close) {
      close();
    }
    return new Reply(code, body);
  }

  private byte[] readChunked() throws IOException {
    var buf = new ByteArrayOutputStream(4096);
    while (true) {
      String sizeLine = readLine();
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailers
        }
        return buf.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw new EOFException("connection closed in the middle of a chunk");
      }
      buf.write(chunk);
      readLine();
    }
  }

  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (b == '\n') {
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
          line.setLength(n - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
      socket = null;
    }
  }
}
