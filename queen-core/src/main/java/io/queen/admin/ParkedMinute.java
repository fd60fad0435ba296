package io.queen.admin;

import java.time.Instant;

/**
 * The most long polls one instance had parked on one queue in one minute.
 *
 * @param bucket the minute's start
 * @param queue the queue ("" for namespace/task pops)
 * @param instanceId the instance
 * @param hostname its host
 * @param parked the most parked at once
 */
public record ParkedMinute(Instant bucket, String queue, String instanceId, String hostname,
    int parked) {}
