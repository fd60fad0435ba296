package io.queen.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that handles the messages of a queue. The auto-configuration runs one
 * {@link io.queen.consumer.QueenConsumer} per annotated method, started when the application
 * context has been refreshed and stopped, before the {@link io.queen.QueueManager} closes, when
 * it closes (see {@link QueenListenerRegistry}).
 *
 * <p>The method takes one or two parameters: the payload, converted from its JSON with the
 * application's Jackson {@code ObjectMapper} to the parameter's type (a record, a POJO, a
 * {@code Map}, a {@code JsonNode}, a {@code String} for a JSON string...), and/or the delivered
 * {@link io.queen.model.Message} (its id, partition, retry count, raw JSON). Its outcome is the
 * ack: returning normally acks the message {@code completed}; throwing acks it {@code failed} with
 * the exception's class and message, and the queue's options decide what follows (redelivery
 * after {@code retryDelay}, growing by {@code retryBackoff}, up to {@code retryLimit} failures,
 * then the dead-letter queue). A payload that cannot be converted fails the same way, with
 * Jackson's error as the message's error. Whatever it returns is ignored.
 *
 * <pre>{@code
 * @Component
 * class Billing {
 *   @QueenListener(queue = "orders", group = "billing", concurrency = 2, batch = 10)
 *   void bill(OrderPlaced event, Message message) { ... }
 * }
 * }</pre>
 *
 * <p>Threads: the method is called on the container's consumer threads, named
 * {@code queen-consumer-<queue>-N} ({@link #concurrency()} of them), one message at a time per
 * thread; messages of one partition are never handled concurrently (a partition is leased to one
 * pop at a time). It may block. The method is invoked on the bean as the context holds it (through
 * its proxy), so {@code @Transactional} on it applies.
 *
 * <p>{@link #queue()}, {@link #group()} and {@link #partition()} accept {@code ${...}}
 * placeholders.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface QueenListener {

  /**
   * The queue to consume.
   *
   * @return the queue's name (1 to 255 characters, no control characters), or a {@code ${...}}
   *     placeholder resolving to it; required, not blank
   */
  String queue();

  /**
   * The consumer group; empty (the default) for queue mode, where every listener of the queue
   * competes for its messages. Each named group sees every message.
   *
   * @return the group's name or a {@code ${...}} placeholder; empty (or resolving to blank) for
   *     queue mode
   */
  String group() default "";

  /**
   * Only this partition of the queue; empty (the default) for any partition.
   *
   * @return the partition's name or a {@code ${...}} placeholder; empty (or resolving to blank)
   *     for any partition
   */
  String partition() default "";

  /**
   * Consumer threads, 1 to 1024.
   *
   * @return the number of {@code queen-consumer-<queue>-N} threads, each popping and handling one
   *     batch at a time; 1 to 1024; default 1
   */
  int concurrency() default 1;

  /**
   * Messages one pop takes (and one lease covers); they are handled one after the other.
   *
   * @return the most messages per pop; 1 to {@link io.queen.model.PopRequest#MAX_BATCH} (10000);
   *     default 1
   */
  int batch() default 1;
}
