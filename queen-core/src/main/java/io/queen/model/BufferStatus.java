package io.queen.model;

/**
 * This instance's file buffer.
 *
 * @param enabled whether the engine has one (without it, pushes fail while PostgreSQL is away)
 * @param directory where it is, or null
 * @param pendingPushes buffered pushes not yet stored in PostgreSQL
 * @param pendingMessages their items
 * @param bytesOnDisk what its files take
 * @param maxBytes the most it holds
 * @param replayedMessages items stored in PostgreSQL by the replay since start (duplicates
 *     included)
 * @param rejectedMessages items the replay could not store for a reason that retrying cannot
 *     change (kept in {@code rejected.jsonl} in the directory, with the reason)
 * @param damagedBytes bytes stepped over since start because they were not intact records
 * @param databaseHealthy whether this instance sends pushes to PostgreSQL now (false: it buffers
 *     them until the database answers again)
 * @param replaying whether the replay is running (not paused by push maintenance, and PostgreSQL
 *     answers)
 */
public record BufferStatus(boolean enabled, String directory, long pendingPushes,
    long pendingMessages, long bytesOnDisk, long maxBytes, long replayedMessages,
    long rejectedMessages, long damagedBytes, boolean databaseHealthy, boolean replaying) {}
