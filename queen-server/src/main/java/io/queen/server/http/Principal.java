package io.queen.server.http;

/**
 * Who sent a request, as an authenticating {@link RequestDecorator} established it (the JWT
 * gate). Routes read it from {@link ApiRequest#principal()}; pushes stamp its subject on each
 * message as {@code producerSub}.
 *
 * @param subject the token's {@code sub} claim, or null when it has none
 */
public record Principal(String subject) {}
