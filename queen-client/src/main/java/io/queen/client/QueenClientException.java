package io.queen.client;

/**
 * A request the server refused or could not be reached for, after the retries the client allows.
 *
 * <p>{@link #status()} is the HTTP status ({@code 0} when no answer came: the server could not be
 * reached or the request timed out) and {@link #serverError()} the {@code error} member of the
 * server's answer when it sent one ({@code "Token has expired"}, {@code "items[0].queue is
 * required"}); the message names the request, the server and both. Also thrown for a transaction
 * the server rolled back ({@code success:false}, status 200) and for an interrupted blocking call.
 * Unchecked; immutable.
 */
public final class QueenClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status, 0 without an answer. */
  private final int status;
  /** The server's {@code error} member, or null. */
  private final String serverError;
  /** The request's method. */
  private final String method;
  /** The request's path and query. */
  private final String path;
  /** The base URL of the last attempt. */
  private final String url;

  QueenClientException(String method, String path, String url, int status, String serverError,
      String message, Throwable cause) {
    super(message, cause);
    this.method = method;
    this.path = path;
    this.url = url;
    this.status = status;
    this.serverError = serverError;
  }

  static QueenClientException http(String method, String path, String url, int status, String serverError) {
    return new QueenClientException(method, path, url, status, serverError,
        method + " " + path + " on " + url + ": HTTP " + status
            + (serverError == null ? "" : ": " + serverError), null);
  }

  /**
   * The HTTP status of the server's answer.
   *
   * @return the status, or {@code 0} when no answer came (connection refused, timeout, interrupt)
   */
  public int status() {
    return status;
  }

  /**
   * The server's own explanation.
   *
   * @return the {@code error} member of the answer, or {@code null} when it had none
   */
  public String serverError() {
    return serverError;
  }

  /**
   * The request's method.
   *
   * @return {@code GET}, {@code POST} or {@code DELETE}
   */
  public String method() {
    return method;
  }

  /**
   * The request's path with its query.
   *
   * @return for example {@code /api/v1/pop/queue/orders?batch=10}
   */
  public String path() {
    return path;
  }

  /**
   * The server the last attempt went to.
   *
   * @return its base URL, or {@code null} when no request was sent
   */
  public String url() {
    return url;
  }
}
