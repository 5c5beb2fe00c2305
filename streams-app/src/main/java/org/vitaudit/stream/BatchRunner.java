package org.vitaudit.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits one task's micro-batches, either on the caller's thread (inline) or on the {@link
 * BatchWorker} of the caller's stream thread (overlapped), so that the stream thread goes on
 * reading, decoding, buffering and committing while the model runs. Either way the outcomes come
 * back to the caller, on its thread, through {@link #start}, {@link #poll} or {@link #await}: only
 * the stream thread forwards.
 *
 * <p>Overlapped, up to {@link #MAX_PENDING} of the task's batches are handed over and not yet
 * collected, so that the worker has work at hand while the stream thread blocks in a commit (an
 * exactly-once commit takes tens to a few hundred milliseconds, more than a small model's batch);
 * {@link #start} collects the oldest before it hands over another, and the worker bounds what all
 * the stream thread's tasks have running or queued. That bounds memory, and outcomes come back in
 * input order.
 */
final class BatchRunner implements AutoCloseable {
  /** A batch whose audit has ended, with one outcome per entry, in order. */
  record Done(List<BatchBuffer.Entry> entries, List<Outcome> outcomes) {}

  /** A batch handed over: inline, ended already (no job). */
  private record Running(
      List<BatchBuffer.Entry> entries,
      Future<List<Outcome>> outcomes,
      BatchWorker.Job<List<Outcome>> job) {}

  /** The task's batches handed over and not yet collected. */
  static final int MAX_PENDING = BatchWorker.MAX_UNFINISHED;

  /**
   * The longest close waits for the task's batch running: as long as the group waits for a poll.
   */
  private static final Duration CLOSE_WAIT = Duration.ofMinutes(10);

  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

  private final Function<List<EventAuditor.Pending>, List<Outcome>> audit;
  private final BatchWorker worker; // null: inline
  private final Deque<Running> pending = new ArrayDeque<>();

  private BatchRunner(
      Function<List<EventAuditor.Pending>, List<Outcome>> audit, BatchWorker worker) {
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

  /** Batches audited on {@code worker}, the one of the stream thread that calls this runner. */
  static BatchRunner overlapped(
      Function<List<EventAuditor.Pending>, List<Outcome>> audit, BatchWorker worker) {
    return new BatchRunner(audit, worker);
  }

  /**
   * Starts auditing {@code entries} (overlapped: queues them behind the batches the worker has),
   * after the task's oldest batch has ended where {@link #MAX_PENDING} are pending already (inline:
   * every earlier batch has ended by then).
   *
   * @return the batch that ended to make room, to forward before anything of this one
   * @throws ModelFailedException where the model no longer runs (inline: on this batch; overlapped:
   *     on the one that ended to make room)
   */
  Optional<Done> start(List<BatchBuffer.Entry> entries) {
    Optional<Done> before = pending.size() >= MAX_PENDING ? await() : poll();
    List<EventAuditor.Pending> events = entries.stream().map(BatchBuffer.Entry::pending).toList();
    if (worker == null) {
      pending.addLast(
          new Running(entries, CompletableFuture.completedFuture(audit.apply(events)), null));
    } else {
      BatchWorker.Job<List<Outcome>> job = worker.submit(() -> audit.apply(events));
      pending.addLast(new Running(entries, job.result(), job));
    }
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
   * task next): a batch not started never starts, and the task's batch running, if any, is waited
   * for, so the model is not running for this task once it is closed. Other tasks' batches on the
   * same worker are neither waited for nor touched.
   */
  @Override
  public void close() {
    // Every queued batch is taken back before the running one is waited for, or the worker would
    // start the next as soon as it ends.
    List<Running> started =
        pending.stream().filter(r -> r.job() != null && !worker.withdraw(r.job())).toList();
    pending.clear();
    for (Running r : started) {
      if (!BatchWorker.awaitEnd(r.job(), CLOSE_WAIT.toMillis())) {
        LOG.warn(
            "a micro-batch of {} events still runs {} minutes after its task closed",
            r.entries().size(),
            CLOSE_WAIT.toMinutes());
      }
    }
  }

  private static List<Outcome> outcomes(Future<List<Outcome>> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ModelFailedException failed) {
        throw failed;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new MicroBatchFailedException("a micro-batch failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MicroBatchFailedException("interrupted while a micro-batch ran", e);
    }
  }
}
