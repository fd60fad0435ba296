/**
 * The durable file buffer behind push failover and push maintenance: append-only segment files of
 * checksummed records ({@link io.queen.internal.buffer.FileBuffer}), the record codec, and the
 * reader that replays them in order and steps over corrupt data.
 */
package io.queen.internal.buffer;
