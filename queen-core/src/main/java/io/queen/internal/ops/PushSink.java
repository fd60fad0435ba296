package io.queen.internal.ops;

import io.queen.model.PushResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted pushes go: the seam behind push. {@link DatabasePushSink} commits them (group
 * commit); a failover sink that buffers pushes on disk while PostgreSQL is away, and replays them
 * through the database sink, slots in here without touching validation or the callers.
 *
 * <p>Contract: {@link #push} is called from any thread and must not block; the future completes
 * with one result per item, in order, once each item is as durable as its status says
 * ({@code queued}: committed; {@code buffered}: on disk).
 */
@FunctionalInterface
public interface PushSink {
  CompletableFuture<List<PushResult>> push(PreparedPush push);
}
