package io.queen.admin;

/**
 * What deleting a consumer group removed.
 *
 * @param group the group
 * @param queue the queue, or null for every queue
 * @param deletedPartitions cursors deleted
 * @param metadataDeleted subscription records deleted
 */
public record GroupDeletion(String group, String queue, int deletedPartitions, int metadataDeleted) {}
