package io.queen.server.http;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What a {@link RequestDecorator} decided about one request: pass it on (as it is, or as a new
 * {@link ApiRequest}, for example one carrying the authenticated {@link ApiRequest#principal()}),
 * answer it instead of the route, or decide later, once some I/O has finished (a key set to fetch),
 * without holding the IO thread meanwhile. Immutable.
 */
public final class Decision {
  private static final Decision PASS = new Decision(null, null, null);

  private final ApiRequest request;
  private final ApiResponse answer;
  private final CompletionStage<Decision> later;

  private Decision(ApiRequest request, ApiResponse answer, CompletionStage<Decision> later) {
    this.request = request;
    this.answer = answer;
    this.later = later;
  }

  /** Pass the request on unchanged; allocates nothing. */
  public static Decision pass() {
    return PASS;
  }

  /** Pass {@code replaced} on instead: what the next decorators and the route see. */
  public static Decision pass(ApiRequest replaced) {
    return new Decision(Objects.requireNonNull(replaced, "replaced"), null, null);
  }

  /** Answer the request with {@code response}; the route never runs. */
  public static Decision answer(ApiResponse response) {
    return new Decision(null, Objects.requireNonNull(response, "response"), null);
  }

  /**
   * Decide when {@code decision} completes (on any thread; the chain goes on on the request's IO
   * thread). A failed stage answers as a throwing handler would ({@link ErrorMapper}).
   */
  public static Decision later(CompletionStage<Decision> decision) {
    return new Decision(null, null, Objects.requireNonNull(decision, "decision"));
  }

  /** The request to pass on instead of the current one, or null. */
  ApiRequest replacement() {
    return request;
  }

  /** The answer, or null when the request passes (or is decided later). */
  ApiResponse answer() {
    return answer;
  }

  /** The decision to wait for, or null when this one is final. */
  CompletionStage<Decision> later() {
    return later;
  }
}
