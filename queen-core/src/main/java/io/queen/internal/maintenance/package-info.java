/** Maintenance modes: the cluster-wide push and pop switches and how every instance learns them. */
package io.queen.internal.maintenance;
