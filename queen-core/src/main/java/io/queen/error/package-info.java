/**
 * The exception family: every failure Queen reports on purpose is a {@link io.queen.error.QueenException}.
 * Bad arguments are {@link io.queen.error.InvalidRequestException} (they name the field), a full
 * internal queue is {@link io.queen.error.OverloadedException}, an unreachable database is
 * {@link io.queen.error.DatabaseUnavailableException}.
 */
package io.queen.error;
