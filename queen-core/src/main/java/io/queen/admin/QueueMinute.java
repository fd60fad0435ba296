package io.queen.admin;

import java.time.Instant;

/**
 * What was done on one queue in one minute, summed over instances.
 *
 * @param bucket the minute's start
 * @param queue the queue
 * @param pushRequests push calls with items for it
 * @param pushMessages messages pushed to it
 * @param popRequests pops of it
 * @param popEmpty of which empty
 * @param popMessages messages popped
 * @param ackRequests ack items
 * @param ackSuccess acks applied
 * @param ackFailed acks refused or reporting failure
 * @param transactions transactions that pushed to or acked from it
 * @param lagSumMs sum of delivery lags of its messages popped
 * @param lagCount messages whose lag was measured
 * @param lagMaxMs the greatest such lag
 * @param parkedMax long polls parked on it at once (the greatest of any instance)
 */
public record QueueMinute(
    Instant bucket, String queue, long pushRequests, long pushMessages, long popRequests,
    long popEmpty, long popMessages, long ackRequests, long ackSuccess, long ackFailed,
    long transactions, long lagSumMs, long lagCount, long lagMaxMs, int parkedMax) {}
