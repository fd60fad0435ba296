package io.queen.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The validated, immutable settings of one {@link QueenClient} (built by {@link QueenClient.Builder}). */
record ClientSettings(
    List<String> urls,
    Supplier<String> token,
    Duration connectTimeout,
    Duration requestTimeout,
    int attempts,
    Duration retryDelay,
    Duration maxRetryDelay,
    Duration healthRetryAfter,
    LoadBalancing loadBalancing,
    Map<String, String> headers) {}
