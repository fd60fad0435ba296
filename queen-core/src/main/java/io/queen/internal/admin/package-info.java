/**
 * The rooms behind {@link io.queen.admin.QueenAdmin}: consumer groups, resources (counts), the
 * message browser and the per-minute history. Each validates on the caller's thread and runs its
 * SQL on a {@code queen-db} thread through {@link io.queen.internal.runtime.EngineContext#single};
 * none of them is on the push or pop path.
 */
package io.queen.internal.admin;
