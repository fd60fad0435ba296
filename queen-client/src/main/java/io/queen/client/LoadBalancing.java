package io.queen.client;

/**
 * How a client with several server URLs picks one for each request (the JS client's
 * {@code loadBalancingStrategy}). Either way a URL that failed (connection refused, 502, 503, 504,
 * or no answer) is skipped for {@link QueenClient.Builder#healthRetryAfter the health retry
 * interval}, and a request that could not reach one URL is tried on the next.
 */
public enum LoadBalancing {
  /** Each request goes to the next healthy URL in turn. */
  ROUND_ROBIN,
  /** Every request goes to the first healthy URL in the order given; the others are stand-bys. */
  FAILOVER
}
