package io.queen.bench.load;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What was pushed and what each consumer group received, for the post-run verification and the
 * delivery latency. Messages are identified by the transaction id the producers give them,
 * {@code c<connection>-<seq>}: {@code seq} counts up per producer connection, and one connection
 * pushes sequentially (it waits for each reply), so within one partition the messages of one
 * connection have a fixed order that FIFO delivery must keep.
 *
 * <p>Checks, per consumer group:
 * <ul>
 *   <li><b>lost</b>: pushed and confirmed {@code queued}, never received;</li>
 *   <li><b>duplicates</b>: received more than once. A duplicate is <i>explained</i> when some
 *       acknowledgement of this run failed (the lease then expires or is released and the batch
 *       is redelivered, which at-least-once delivery allows);</li>
 *   <li><b>FIFO violations</b>: within one (partition, producer connection) stream, a message
 *       received in a pop that started after an earlier pop had already returned a newer message of
 *       the same stream. Pops whose requests overlap in time are not ordered by the client and are
 *       not compared.</li>
 * </ul>
 * Thread-safe: producers lock their own connection's record, consumers lock their group's.
 */
final class Ledger {
  /** One producer connection: which seqs were confirmed and when their push was answered. */
  static final class Producer {
    final BitSet queued = new BitSet();
    final BitSet uncertain = new BitSet(); // request failed: stored or not, unknown
    long[] repliedAt = new long[1024];
    long[] sentAt = new long[1024];
    long duplicatesReported;

    synchronized void sent(long seq, int n, long sentNanos, long replyNanos) {
      ensure(seq + n);
      for (int i = 0; i < n; i++) {
        sentAt[(int) seq + i] = sentNanos;
        repliedAt[(int) seq + i] = replyNanos;
      }
    }

    private void ensure(long size) {
      if (size > repliedAt.length) {
        int n = (int) Math.max(size, repliedAt.length * 2L);
        repliedAt = java.util.Arrays.copyOf(repliedAt, n);
        sentAt = java.util.Arrays.copyOf(sentAt, n);
      }
    }

    synchronized long repliedAt(long seq) {
      return seq < repliedAt.length ? repliedAt[(int) seq] : 0;
    }

    synchronized long sentAt(long seq) {
      return seq < sentAt.length ? sentAt[(int) seq] : 0;
    }
  }

  /** One consumer group's view. */
  static final class Group {
    final String name;
    final Map<Integer, BitSet> received = new HashMap<>();
    /** stream key → {highest seq seen, reply time of the pop that returned it}. */
    final Map<Long, long[]> streams = new HashMap<>();
    long unique;
    long duplicates;
    long fifoViolations;
    final List<String> examples = new ArrayList<>();

    Group(String name) {
      this.name = name;
    }
  }

  private final Producer[] producers;
  private final Group[] groups;

  Ledger(int producerConnections, List<String> groupNames) {
    producers = new Producer[producerConnections];
    for (int i = 0; i < producers.length; i++) {
      producers[i] = new Producer();
    }
    groups = new Group[groupNames.size()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = new Group(groupNames.get(i));
    }
  }

  Producer producer(int c) {
    return producers[c];
  }

  int producerCount() {
    return producers.length;
  }

  Group group(int g) {
    return groups[g];
  }

  int groupCount() {
    return groups.length;
  }

  static String transactionId(int connection, long seq) {
    return "c" + connection + "-" + seq;
  }

  /** Connection of a transaction id {@code c<conn>-<seq>}; -1 if it is not one of ours. */
  static int connectionOf(String txid) {
    if (txid == null || txid.length() < 4 || txid.charAt(0) != 'c') {
      return -1;
    }
    int dash = txid.indexOf('-');
    if (dash < 2) {
      return -1;
    }
    try {
      return Integer.parseInt(txid, 1, dash, 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Seq of a transaction id {@code c<conn>-<seq>}; -1 if it is not one of ours. */
  static long seqOf(String txid) {
    int dash = txid == null ? -1 : txid.indexOf('-');
    if (dash < 2) {
      return -1;
    }
    try {
      return Long.parseLong(txid, dash + 1, txid.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Records one pop's messages for a group.
   *
   * @param queueIndex the queue popped
   * @param partitionKeys a number identifying each message's partition within the queue
   * @param txids the messages' transaction ids, in delivery order
   * @param popStart when the pop request was sent (nanoTime)
   * @param popEnd when its reply was read (nanoTime)
   * @return how many of the messages were new for this group
   */
  int received(int group, int queueIndex, long[] partitionKeys, String[] txids, int n,
      long popStart, long popEnd) {
    var g = groups[group];
    int fresh = 0;
    synchronized (g) {
      for (int i = 0; i < n; i++) {
        int c = connectionOf(txids[i]);
        long seq = seqOf(txids[i]);
        if (c < 0 || seq < 0) {
          continue;
        }
        var bits = g.received.computeIfAbsent(c, k -> new BitSet());
        if (bits.get((int) seq)) {
          g.duplicates++;
          continue;
        }
        bits.set((int) seq);
        g.unique++;
        fresh++;
        long key = ((queueIndex * 1_000_003L + partitionKeys[i]) << 20) ^ c;
        long[] s = g.streams.get(key);
        if (s == null) {
          g.streams.put(key, new long[] {seq, popEnd});
        } else if (seq > s[0]) {
          s[0] = seq;
          s[1] = popEnd;
        } else if (s[1] < popStart) {
          g.fifoViolations++;
          if (g.examples.size() < 5) {
            g.examples.add("group " + g.name + ": " + txids[i] + " received after "
                + transactionId(c, s[0]) + " of the same partition was delivered by an earlier pop");
          }
        }
      }
    }
    return fresh;
  }

  long unique(int group) {
    synchronized (groups[group]) {
      return groups[group].unique;
    }
  }

  long queuedTotal() {
    long n = 0;
    for (var p : producers) {
      synchronized (p) {
        n += p.queued.cardinality();
      }
    }
    return n;
  }

  /** The outcome of {@link #verify}. */
  record Verdict(boolean passed, long expected, long lost, long duplicates, long explainedDuplicates,
      long fifoViolations, long uncertain, List<String> problems) {}

  /**
   * Verifies every group against what producers pushed.
   *
   * @param ackFailures acknowledgements of this run that failed (explains redeliveries)
   * @param producersKnown whether this process produced the messages (a consumer-only run can
   *     only check duplicates and order)
   */
  Verdict verify(long ackFailures, boolean producersKnown) {
    long expected = 0;
    long uncertain = 0;
    long lost = 0;
    long dups = 0;
    long fifo = 0;
    var problems = new ArrayList<String>();
    if (producersKnown) {
      for (var p : producers) {
        expected += p.queued.cardinality();
        uncertain += p.uncertain.cardinality();
      }
    }
    for (var g : groups) {
      synchronized (g) {
        dups += g.duplicates;
        fifo += g.fifoViolations;
        problems.addAll(g.examples);
        if (!producersKnown) {
          continue;
        }
        long groupLost = 0;
        for (int c = 0; c < producers.length; c++) {
          var missing = (BitSet) producers[c].queued.clone();
          var got = g.received.get(c);
          if (got != null) {
            missing.andNot(got);
          }
          int m = missing.cardinality();
          if (m > 0 && problems.size() < 10) {
            problems.add("group " + g.name + ": " + m + " message(s) of connection " + c
                + " never received, first " + transactionId(c, missing.nextSetBit(0)));
          }
          groupLost += m;
        }
        lost += groupLost;
      }
    }
    long explained = ackFailures > 0 ? Math.min(dups, ackFailures) : 0;
    boolean passed = lost == 0 && fifo == 0 && dups == explained;
    if (dups > explained) {
      problems.add((dups - explained) + " duplicate deliveries not explained by failed acks");
    }
    return new Verdict(passed, expected, lost, dups, explained, fifo, uncertain, problems);
  }
}
