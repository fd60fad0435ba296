/**
 * Background jobs: the {@link io.queen.internal.jobs.Job} abstraction, the
 * {@link io.queen.internal.jobs.JobRunner} that schedules them (one run at a time, cluster-wide
 * singletons behind an advisory lock, failures logged once and counted), and the jobs themselves
 * (lease reaper, statistics keeper; the listener census lives with the wake-ups).
 */
package io.queen.internal.jobs;
