package io.queen.model;

/**
 * The maintenance modes as this instance knows them (the database's flags, read every second and
 * when another instance changes them).
 *
 * @param pushMaintenance pushes go to the file buffer and answer {@code buffered}; the buffer
 *     does not replay until it is switched off
 * @param popMaintenance pops answer at once with nothing ({@link PopOutcome#PAUSED})
 */
public record MaintenanceStatus(boolean pushMaintenance, boolean popMaintenance) {}
