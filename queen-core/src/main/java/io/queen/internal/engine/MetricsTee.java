package io.queen.internal.engine;

import io.queen.metrics.QueenMetrics;

/** Reports to the engine's own counters and to the configured metrics. Thread-safe, stateless. */
final class MetricsTee implements QueenMetrics {
  private final QueenMetrics first;
  private final QueenMetrics second;

  private MetricsTee(QueenMetrics first, QueenMetrics second) {
    this.first = first;
    this.second = second;
  }

  /** Both, or just {@code first} when {@code second} records nothing. */
  static QueenMetrics of(QueenMetrics first, QueenMetrics second) {
    return second == QueenMetrics.NOOP ? first : new MetricsTee(first, second);
  }

  @Override
  public void requestAccepted(String operation, int items) {
    first.requestAccepted(operation, items);
    second.requestAccepted(operation, items);
  }

  @Override
  public void requestRefused(String operation) {
    first.requestRefused(operation);
    second.requestRefused(operation);
  }

  @Override
  public void batchCommitted(String operation, int requests, long nanos) {
    first.batchCommitted(operation, requests, nanos);
    second.batchCommitted(operation, requests, nanos);
  }

  @Override
  public void requestCompleted(String operation, long nanos) {
    first.requestCompleted(operation, nanos);
    second.requestCompleted(operation, nanos);
  }

  @Override
  public void requestFailed(String operation) {
    first.requestFailed(operation);
    second.requestFailed(operation);
  }

  @Override
  public void jobRan(String job, long nanos) {
    first.jobRan(job, nanos);
    second.jobRan(job, nanos);
  }

  @Override
  public void jobFailed(String job) {
    first.jobFailed(job);
    second.jobFailed(job);
  }

  @Override
  public void jobSkipped(String job) {
    first.jobSkipped(job);
    second.jobSkipped(job);
  }

  @Override
  public void removed(String queue, String kind, int count) {
    first.removed(queue, kind, count);
    second.removed(queue, kind, count);
  }

  @Override
  public void pushed(String queue, int messages) {
    first.pushed(queue, messages);
    second.pushed(queue, messages);
  }

  @Override
  public void popped(String queue, int messages, long lagSumMillis, long lagMaxMillis) {
    first.popped(queue, messages, lagSumMillis, lagMaxMillis);
    second.popped(queue, messages, lagSumMillis, lagMaxMillis);
  }

  @Override
  public void acked(String queue, int applied, int failed, int deadLettered) {
    first.acked(queue, applied, failed, deadLettered);
    second.acked(queue, applied, failed, deadLettered);
  }

  @Override
  public void transactionCommitted(String queue) {
    first.transactionCommitted(queue);
    second.transactionCommitted(queue);
  }

  @Override
  public void batchStarted(String operation, int requests, long waitedNanos) {
    first.batchStarted(operation, requests, waitedNanos);
    second.batchStarted(operation, requests, waitedNanos);
  }

  @Override
  public void leasesExpired(int count) {
    first.leasesExpired(count);
    second.leasesExpired(count);
  }

  @Override
  public void longPollParked(String queue) {
    first.longPollParked(queue);
    second.longPollParked(queue);
  }

  @Override
  public void longPollEnded(String queue, boolean delivered, long waitedNanos) {
    first.longPollEnded(queue, delivered, waitedNanos);
    second.longPollEnded(queue, delivered, waitedNanos);
  }

  @Override
  public void started(io.queen.QueueManager queen) {
    first.started(queen);
    second.started(queen);
  }
}
