package io.queen.admin;

import java.time.Instant;

/**
 * A count over one time bucket.
 *
 * @param start the bucket's start
 * @param count what it counts
 */
public record Bucket(Instant start, long count) {}
