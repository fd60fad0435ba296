package io.queen.semantics;

import static io.queen.semantics.AckTest.assertInvalid;
import static io.queen.testing.Fixtures.ack;
import static io.queen.testing.Fixtures.ns;
import static io.queen.testing.Fixtures.pop;
import static io.queen.testing.Fixtures.popPartition;
import static io.queen.testing.Fixtures.pushRange;
import static io.queen.testing.Fixtures.reapAll;
import static io.queen.testing.Fixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.queen.model.AckItem;
import io.queen.model.AckResult;
import io.queen.model.AckStatus;
import io.queen.model.DlqQuery;
import io.queen.model.PopOutcome;
import io.queen.model.PopRequest;
import io.queen.model.QueueOptions;
import io.queen.testing.QueenTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** semantics.md section 7 (Leases) and the lease-expiry rules of section 6. */
class LeaseTest extends QueenTestSupport {
  @Override
  protected boolean timersByHand() {
    return true; // the lease reaper runs when a test says so
  }

  private static final int LEASE = 30;

  private void configure(String queue, int retryLimit) {
    queen.configureQueueSync(queue,
        QueueOptions.builder().leaseTime(LEASE).retryLimit(retryLimit).build());
  }

  private void expireLeases() {
    clock.advance(Duration.ofSeconds(LEASE + 1));
  }

  // ---- expiry counts failures ------------------------------------------------------------------

  @Test
  void a_lease_that_expires_counts_one_failure_for_each_unacked_message() {
    configure("q", 5);
    pushRange(queen, "q", null, 1, 4);
    var first = pop(queen, "q", 4);
    var ms = first.messages();
    queen.ackSync(List.of(AckItem.completed(ms.get(0)), AckItem.completed(ms.get(2))));
    expireLeases();
    reapAll(scheduler, database, clock);
    assertThat(rows(database, "SELECT worker_id FROM queen.partition_consumers"))
        .extracting(r -> r.get("worker_id")).containsOnlyNulls();

    var again = popPartition(queen, "q", "Default", null, 10);
    assertThat(again.leaseId()).isNotEqualTo(first.leaseId());
    // 1 and 3 were acked: only 2 and 4 count a failure and come back (3 is not redelivered)
    assertThat(ns(again)).containsExactly(2, 4);
    assertThat(again.messages()).allSatisfy(m -> assertThat(m.retryCount()).isEqualTo(1));
    assertThat(rows(database, "SELECT last_error FROM queen.message_states WHERE failure_count = 1"))
        .hasSize(2).extracting(r -> r.get("last_error")).containsOnly("lease expired");
  }

  @Test
  void an_expired_lease_is_settled_by_the_next_pop_even_without_the_reaper() {
    // only a manager whose reaper never runs during the test
    queen.close();
    var lazy = newManager(b -> b.leaseReaperInterval(Duration.ofHours(1)));
    lazy.configureQueueSync("q", QueueOptions.builder().leaseTime(LEASE).retryLimit(5).build());
    pushRange(lazy, "q", null, 1, 2);
    pop(lazy, "q", 2);
    expireLeases();
    var again = pop(lazy, "q", 10);
    assertThat(ns(again)).containsExactly(1, 2);
    assertThat(again.messages()).allSatisfy(m -> assertThat(m.retryCount()).isEqualTo(1));
  }

  @Test
  void a_message_whose_leases_keep_expiring_ends_in_the_dlq_with_reason_lease_expired() {
    configure("q", 2);
    pushRange(queen, "q", null, 1, 2);
    for (int delivery = 0; delivery < 3; delivery++) {
      var popped = pop(queen, "q", 1);
      assertThat(ns(popped)).as("delivery %s", delivery).containsExactly(1);
      assertThat(popped.messages().get(0).retryCount()).isEqualTo(delivery);
      expireLeases();
      if (delivery % 2 == 0) {
        reapAll(scheduler, database, clock); // eager path; the odd rounds use the next pop (lazy path)
      }
    }
    // the third expiry (failure 3 > retryLimit 2) dead-letters it; message 2 is next
    assertThat(ns(pop(queen, "q", 10))).containsExactly(2);
    var dlq = queen.listDlq(DlqQuery.forQueue("q")).join().entries();
    assertThat(dlq).hasSize(1);
    assertThat(dlq.get(0).transactionId()).isEqualTo("tx-1");
    assertThat(dlq.get(0).errorMessage()).isEqualTo("lease expired");
    assertThat(dlq.get(0).retryCount()).isEqualTo(3);
  }

  @Test
  void the_reaper_alone_dead_letters_every_unacked_message_of_an_expired_batch() {
    configure("q", 0);
    pushRange(queen, "q", null, 1, 3);
    var ms = pop(queen, "q", 3).messages();
    queen.ackSync(AckItem.completed(ms.get(1)));
    expireLeases();
    reapAll(scheduler, database, clock);
    var dlq = queen.listDlq(DlqQuery.forQueue("q")).join();
    assertThat(dlq.entries()).extracting(e -> e.transactionId())
        .containsExactlyInAnyOrder("tx-1", "tx-3");
    assertThat(dlq.entries()).allSatisfy(e -> {
      assertThat(e.errorMessage()).isEqualTo("lease expired");
      assertThat(e.retryCount()).isEqualTo(1);
    });
    assertThat(pop(queen, "q", 10).isEmpty()).isTrue();
  }

  @Test
  void a_failure_acked_under_a_lease_is_not_counted_again_when_that_lease_expires() {
    configure("q", 5);
    pushRange(queen, "q", null, 1, 2);
    var ms = pop(queen, "q", 2).messages();
    queen.ackSync(ack(ms.get(0), AckStatus.FAILED, "handler failed"));
    expireLeases();
    reapAll(scheduler, database, clock);
    var again = pop(queen, "q", 10).messages();
    assertThat(again).extracting(m -> m.transactionId()).containsExactly("tx-1", "tx-2");
    assertThat(again.get(0).retryCount()).as("failed ack only").isEqualTo(1);
    assertThat(again.get(1).retryCount()).as("lease expired only").isEqualTo(1);
  }

  // ---- extend --------------------------------------------------------------------------------

  @Test
  void extend_sets_the_expiry_of_every_partition_of_a_multi_partition_pop() {
    configure("q", 5);
    pushRange(queen, "q", "p1", 1, 1);
    pushRange(queen, "q", "p2", 2, 2);
    var popped = queen.popSync(PopRequest.fromQueue("q").batch(2).partitions(2).build());
    assertThat(popped.partitionsClaimed()).isEqualTo(2);
    var lease = popped.leaseId();

    var before = clock.instant();
    var ext = queen.extendLease(lease, 600).join();
    assertThat(ext.success()).isTrue();
    assertThat(ext.error()).isNull();
    assertThat(ext.leaseId()).isEqualTo(lease);
    assertThat(ext.expiresAt()).isBetween(before.plusSeconds(599), clock.instant().plusSeconds(601));
    var expiries = rows(database,
        "SELECT lease_expires_at FROM queen.partition_consumers WHERE worker_id = ?::uuid", lease);
    assertThat(expiries).hasSize(2);
    assertThat(expiries).allSatisfy(r -> assertThat(((Instant) r.get("lease_expires_at")))
        .isCloseTo(ext.expiresAt(), within(1, ChronoUnit.MILLIS)));

    // past the original 30 s: both partitions are still leased and acks with the lease work
    clock.advance(Duration.ofSeconds(300));
    reapAll(scheduler, database, clock);
    assertThat(popPartition(queen, "q", "p1", null, 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    assertThat(popPartition(queen, "q", "p2", null, 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    var acks = queen.ackSync(popped.messages().stream().map(AckItem::completed).toList());
    assertThat(acks).extracting(AckResult::success).containsExactly(true, true);
    assertThat(acks).extracting(AckResult::leaseReleased).containsExactly(true, true);
  }

  @Test
  void extend_never_shortens_a_lease() {
    queen.configureQueueSync("q", QueueOptions.builder().leaseTime(300).build());
    pushRange(queen, "q", null, 1, 1);
    var before = clock.instant();
    var popped = pop(queen, "q", 1);
    var after = clock.instant();
    var ext = queen.extendLease(popped.leaseId(), 10).join();
    assertThat(ext.success()).isTrue();
    // max(current = pop time + 300 s, now + 10 s) = the original expiry
    assertThat(ext.expiresAt()).isBetween(before.plusSeconds(300), after.plusSeconds(300));
    clock.advance(Duration.ofSeconds(60));
    assertThat(popPartition(queen, "q", "Default", null, 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
  }

  @Test
  void an_expired_lease_cannot_be_revived_by_extend() {
    queen.close();
    var lazy = newManager(b -> b.leaseReaperInterval(Duration.ofHours(1)));
    lazy.configureQueueSync("q", QueueOptions.builder().leaseTime(LEASE).build());
    pushRange(lazy, "q", null, 1, 1);
    var popped = pop(lazy, "q", 1);
    expireLeases();
    var ext = lazy.extendLease(popped.leaseId(), 600).join();
    assertThat(ext.success()).isFalse();
    assertThat(ext.error()).isEqualTo("Lease already expired");
    assertThat(ext.expiresAt()).isNull();
    // not revived: another consumer gets the message, the old lease's ack is refused
    var other = pop(lazy, "q", 1);
    assertThat(ns(other)).containsExactly(1);
    assertThat(lazy.ackSync(AckItem.completed(popped.messages().get(0))).error())
        .isEqualTo("Invalid or expired lease");
    // and extending the old one after it was reaped/replaced still fails
    assertThat(lazy.extendLease(popped.leaseId(), 600).join().success()).isFalse();
  }

  @Test
  void extending_an_unknown_or_released_lease_fails_with_lease_not_found() {
    var unknown = queen.extendLease(UUID.randomUUID().toString(), 60).join();
    assertThat(unknown.success()).isFalse();
    assertThat(unknown.error()).isEqualTo("Lease not found");

    pushRange(queen, "q", null, 1, 1);
    var popped = pop(queen, "q", 1);
    queen.ackSync(AckItem.completed(popped.messages().get(0)));
    var released = queen.extendLease(popped.leaseId(), 60).join();
    assertThat(released.success()).isFalse();
    assertThat(released.error()).isEqualTo("Lease not found");
  }

  @Test
  void invalid_extend_and_release_inputs_are_refused_naming_the_field() {
    assertInvalid(() -> queen.extendLease("nope", 10), "leaseId");
    assertInvalid(() -> queen.extendLease(null, 10), "leaseId");
    assertInvalid(() -> queen.extendLease(UUID.randomUUID().toString(), 0), "seconds");
    assertInvalid(() -> queen.extendLease(UUID.randomUUID().toString(), -5), "seconds");
    assertInvalid(() -> queen.releaseLease("nope"), "leaseId");
  }

  // ---- release -------------------------------------------------------------------------------

  @Test
  void releasing_a_lease_redelivers_at_once_without_counting_failures() {
    configure("q", 0);
    pushRange(queen, "q", "p1", 1, 1);
    pushRange(queen, "q", "p2", 2, 2);
    var popped = queen.popSync(PopRequest.fromQueue("q").batch(2).partitions(2).build());
    assertThat(queen.releaseLease(popped.leaseId()).join()).isEqualTo(2);
    assertThat(queen.releaseLease(popped.leaseId()).join()).isZero();
    var again = queen.popSync(PopRequest.fromQueue("q").batch(2).partitions(2).build());
    assertThat(again.messages()).extracting(m -> m.transactionId())
        .containsExactlyInAnyOrder("tx-1", "tx-2");
    assertThat(again.messages()).allSatisfy(m -> assertThat(m.retryCount()).isZero());
    assertThat(queen.listDlq(DlqQuery.forQueue("q")).join().entries()).isEmpty();
  }

  @Test
  void a_multi_partition_pop_shares_one_lease_released_per_partition_by_its_acks() {
    pushRange(queen, "q", "p1", 1, 1);
    pushRange(queen, "q", "p2", 2, 2);
    var popped = queen.popSync(PopRequest.fromQueue("q").batch(2).partitions(2).build());
    assertThat(popped.messages()).extracting(m -> m.leaseId()).containsOnly(popped.leaseId());
    var p1 = popped.messages().stream().filter(m -> m.partition().equals("p1")).findFirst().get();
    assertThat(queen.ackSync(AckItem.completed(p1)).leaseReleased()).isTrue();
    // p2 is still leased under the same id, and extend still finds it
    assertThat(popPartition(queen, "q", "p2", null, 1).outcome()).isEqualTo(PopOutcome.LEASE_HELD);
    assertThat(queen.extendLease(popped.leaseId(), 120).join().success()).isTrue();
    assertThat(rows(database, "SELECT count(*) AS n FROM queen.partition_consumers WHERE worker_id = ?::uuid",
        popped.leaseId()).get(0).get("n")).isEqualTo(1L);
  }
}
