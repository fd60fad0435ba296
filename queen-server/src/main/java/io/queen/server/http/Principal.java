package io.queen.server.http;

/**
 * Who sent a request, as an authenticating {@link RequestDecorator} established it (the JWT
 * gate). Routes read it from {@link ApiRequest#principal()}; pushes stamp its subject on each
 * message as {@code producerSub}.
 *
 * @param subject the token's {@code sub} claim, or null when it has none
 * @param access the highest level the token's roles grant, as the security documentation names
 *     it ({@code read-only}, {@code read-write}, {@code admin}), or null when the decorator does not
 *     grade access
 */
public record Principal(String subject, String access) {
  /** A principal known only by its subject. */
  public Principal(String subject) {
    this(subject, null);
  }
}
