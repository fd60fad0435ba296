/** The server's Prometheus endpoint: the engine's Micrometer meters plus HTTP, IO-thread and JVM meters. */
package io.queen.server.metrics;
