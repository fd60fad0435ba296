package io.queen.admin;

import java.time.Instant;

/**
 * What one instance did in one minute (written by its metrics job at the minute's end).
 *
 * @param bucket the minute's start
 * @param instanceId the instance
 * @param hostname its host
 * @param port its HTTP port (0 when embedded)
 * @param pushRequests push calls
 * @param pushMessages messages pushed
 * @param popRequests pop calls
 * @param popEmpty pop calls that returned nothing
 * @param popMessages messages popped
 * @param ackRequests ack items
 * @param ackSuccess acks applied
 * @param ackFailed acks refused or reporting failure
 * @param dlqMessages messages moved to the dead-letter queue
 * @param transactions transactions committed
 * @param dbErrors database failures
 * @param lagSumMs sum of delivery lags (push to pop) of the messages popped
 * @param lagCount messages whose lag was measured
 * @param lagMaxMs the greatest such lag
 * @param parkedMax the most long polls parked at once
 * @param poolSize database threads
 * @param poolActiveMax the most of them busy at once
 * @param cpuUserPct process CPU, user, % of one core (0 when the JVM cannot tell)
 * @param cpuSysPct process CPU, system, % of one core
 * @param rssMb resident memory (MiB; 0 when unknown)
 * @param heapUsedMb heap in use (MiB)
 */
public record InstanceMinute(
    Instant bucket, String instanceId, String hostname, int port, long pushRequests,
    long pushMessages, long popRequests, long popEmpty, long popMessages, long ackRequests,
    long ackSuccess, long ackFailed, long dlqMessages, long transactions, long dbErrors,
    long lagSumMs, long lagCount, long lagMaxMs, int parkedMax, int poolSize, int poolActiveMax,
    double cpuUserPct, double cpuSysPct, double rssMb, double heapUsedMb) {}
