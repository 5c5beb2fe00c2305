package org.vitaudit.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Audits micro-batches one at a time, either on the caller's thread (inline) or on a worker thread
 * of its own (overlapped), so that the stream thread goes on reading, decoding, buffering and
 * committing while the model runs. Either way the outcomes come back to the caller, on its thread,
 * through {@link #start}, {@link #poll} or {@link #await}: only the stream thread forwards.
 *
 * <p>Overlapped, one batch runs at a time and up to two more wait behind it, so that the worker has
 * work at hand while the stream thread blocks in a commit (an exactly-once commit takes tens to a
 * few hundred milliseconds, more than a small model's batch); {@link #start} waits for the oldest
 * before it queues a fourth. That bounds memory, and outcomes come back in input order.
 */
final class BatchRunner implements AutoCloseable {
  /** A batch whose audit has ended, with one outcome per entry, in order. */
  record Done(List<BatchBuffer.Entry> entries, List<Outcome> outcomes) {}

  private record Running(List<BatchBuffer.Entry> entries, Future<List<Outcome>> outcomes) {}

  /** Batches handed to the worker and not yet collected: the one running and those waiting. */
  static final int MAX_PENDING = 3;

  /** The longest close waits for the batch running: as long as the group waits for a poll. */
  private static final Duration CLOSE_WAIT = Duration.ofMinutes(10);

  private final Function<List<EventAuditor.Pending>, List<Outcome>> audit;
  private final ExecutorService worker; // null: inline
  private final Deque<Running> pending = new ArrayDeque<>();

  private BatchRunner(
      Function<List<EventAuditor.Pending>, List<Outcome>> audit, ExecutorService worker) {
    this.audit = audit;
    this.worker = worker;
  }

  /**
   * Batches audited on the caller's thread, within {@link #start}.
   *
   * @param audit one outcome per event, in order ({@link EventAuditor#audit(List)})
   */
  static BatchRunner inline(Function<List<EventAuditor.Pending>, List<Outcome>> audit) {
    return new BatchRunner(audit, null);
  }

  /** Batches audited on a daemon worker thread named {@code threadName}. */
  static BatchRunner overlapped(
      Function<List<EventAuditor.Pending>, List<Outcome>> audit, String threadName) {
    return new BatchRunner(
        audit,
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            }));
  }

  /**
   * Starts auditing {@code entries} (overlapped: queues them behind the batch running), after the
   * oldest batch has ended where {@link #MAX_PENDING} are pending already (inline: every earlier
   * batch has ended by then).
   *
   * @return the batch that ended to make room, to forward before anything of this one
   * @throws ModelFailedException where the model no longer runs (inline: on this batch; overlapped:
   *     on the one that ended to make room)
   */
  Optional<Done> start(List<BatchBuffer.Entry> entries) {
    Optional<Done> before = pending.size() >= MAX_PENDING ? await() : poll();
    List<EventAuditor.Pending> events = entries.stream().map(BatchBuffer.Entry::pending).toList();
    Future<List<Outcome>> outcomes;
    if (worker == null) {
      outcomes = CompletableFuture.completedFuture(audit.apply(events));
    } else {
      outcomes = worker.submit(() -> audit.apply(events));
    }
    pending.addLast(new Running(entries, outcomes));
    return before;
  }

  /** The oldest pending batch if it has ended, without waiting. */
  Optional<Done> poll() {
    return !pending.isEmpty() && pending.peekFirst().outcomes().isDone()
        ? await()
        : Optional.empty();
  }

  /** The oldest pending batch once it has ended; empty where none is pending. */
  Optional<Done> await() {
    Running r = pending.pollFirst();
    if (r == null) {
      return Optional.empty();
    }
    return Optional.of(new Done(r.entries(), outcomes(r.outcomes())));
  }

  /** Batches handed over and not yet collected. */
  int pending() {
    return pending.size();
  }

  /**
   * Drops the pending batches (their events are still in the buffer's store, for whoever takes the
   * task next): a batch not started never starts, and the one running is waited for, so the model
   * is not running for this task once it is closed. Then stops the worker.
   */
  @Override
  public void close() {
    pending.forEach(r -> r.outcomes().cancel(false));
    pending.clear();
    if (worker != null) {
      worker.shutdown();
      try {
        worker.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static List<Outcome> outcomes(Future<List<Outcome>> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("a micro-batch failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a micro-batch ran", e);
    }
  }
}
