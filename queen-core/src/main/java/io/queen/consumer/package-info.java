/** A ready-made consumer loop for embedders: {@link io.queen.consumer.QueenConsumer}. */
package io.queen.consumer;
