package io.queen.spring;

import io.queen.QueenConfig;

/**
 * Adjusts the {@link QueenConfig} the auto-configuration builds from the {@code queen.*}
 * properties, for the settings that are objects rather than values: a clock, a scheduler,
 * tracing, encryption keys, a file buffer. Every bean of this type is applied, in
 * {@link org.springframework.core.Ordered} order, after the properties (the Micrometer binding is
 * one). Not used when the application defines its own {@link io.queen.QueueManager} bean.
 *
 * <p>Threads: called once, on the thread that creates the QueueManager bean (the one refreshing
 * the context).
 */
@FunctionalInterface
public interface QueenConfigCustomizer {
  /**
   * Changes {@code builder} in place.
   *
   * @param builder the configuration being built: it already holds the {@code queen.*}
   *     properties and the changes of the customizers ordered before this one; the
   *     auto-configuration builds it (and checks every setting) after the last customizer
   */
  void customize(QueenConfig.Builder builder);
}
