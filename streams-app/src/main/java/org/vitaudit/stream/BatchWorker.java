package org.vitaudit.stream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The thread that audits the overlapped micro-batches of every task one stream thread owns, one
 * batch at a time, in the order they were handed over. One per stream thread: an instance runs the
 * model at most {@code num.stream.threads} times at once, as it did when each stream thread ran its
 * batches itself, and a stream thread never waits behind another stream thread's batches.
 *
 * <p>At most {@link #MAX_UNFINISHED} batches are running or queued here; {@link #submit} waits for
 * the oldest to end before it queues another. So the stream thread waits for at most that many
 * batch times, however many tasks (partitions) it owns, which keeps it polling and committing well
 * within the transaction timeout. Everything but the worker's own run is called on the stream
 * thread.
 */
final class BatchWorker {
  /** Batches running or waiting on this worker, across the stream thread's tasks. */
  static final int MAX_UNFINISHED = 3;

  /** A worker with nothing to do lets its thread end after this long; a new batch starts one. */
  private static final long IDLE_SECONDS = 30;

  /** One batch's audit: a job the worker runs, or that is taken back before it starts. */
  static final class Job<T> implements Runnable {
    private final Callable<T> work;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Job(Callable<T> work) {
      this.work = work;
    }

    @Override
    public void run() {
      if (result.isDone()) {
        return; // taken back
      }
      try {
        result.complete(work.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }

    /** Its outcome; cancelled where it was taken back before it started. */
    Future<T> result() {
      return result;
    }
  }

  private final ThreadPoolExecutor executor;
  private final Deque<Job<?>> unfinished = new ArrayDeque<>(); // the stream thread's alone

  /**
   * @param threadName the worker thread's name (a daemon)
   */
  BatchWorker(String threadName) {
    executor =
        new ThreadPoolExecutor(
            1,
            1,
            IDLE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Queues {@code work} behind the batches handed over before it, after the oldest has ended where
   * {@link #MAX_UNFINISHED} are unfinished.
   */
  <T> Job<T> submit(Callable<T> work) {
    prune();
    while (unfinished.size() >= MAX_UNFINISHED) {
      if (!awaitEnd(unfinished.peekFirst(), Long.MAX_VALUE)) {
        throw new MicroBatchFailedException("interrupted while waiting for a micro-batch", null);
      }
      prune();
    }
    Job<T> job = new Job<>(work);
    unfinished.addLast(job);
    executor.execute(job);
    return job;
  }

  /**
   * Takes {@code job} back if it has not started: it then never runs, and its result is cancelled.
   * A job running already goes on.
   *
   * @return whether it was taken back
   */
  boolean withdraw(Job<?> job) {
    if (!executor.remove(job)) {
      return false;
    }
    job.result.cancel(false);
    unfinished.remove(job);
    return true;
  }

  /** Batches running or queued. */
  int unfinished() {
    prune();
    return unfinished.size();
  }

  /**
   * Waits up to {@code millis} for {@code job} to end, however it ends (its owner reads how).
   *
   * @return whether it ended
   */
  static boolean awaitEnd(Job<?> job, long millis) {
    try {
      job.result.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | CancellationException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void prune() {
    while (!unfinished.isEmpty() && unfinished.peekFirst().result.isDone()) {
      unfinished.pollFirst();
    }
  }
}
