/**
 * Spring Boot integration of Queen: {@link io.queen.spring.QueenAutoConfiguration} (the
 * auto-configured {@link io.queen.QueueManager}), {@link io.queen.spring.QueenProperties}
 * ({@code queen.*}), {@link io.queen.spring.QueenListener} methods run by
 * {@link io.queen.spring.QueenListenerRegistry}, {@link io.queen.spring.QueenTemplate} (pushes that
 * join the current transaction) and {@link io.queen.spring.QueenHealthIndicator}. See
 * {@code docs/spring.md}.
 */
package io.queen.spring;
