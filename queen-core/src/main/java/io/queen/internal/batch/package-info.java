/**
 * Group commit: {@link io.queen.internal.batch.GroupCommitter} gathers concurrent requests of one
 * kind into one transaction and splits the results back.
 */
package io.queen.internal.batch;
