package org.vitaudit.stream;

import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * How many model runs the overlapped micro-batches of one application instance may have at once,
 * across all its tasks: one per stream thread, as many as ran when each stream thread ran its
 * batches itself. Every input partition's task has a worker of its own, and without this bound an
 * instance owning many partitions would run the model that many times at once on the same cores.
 */
final class ModelRuns {
  private final Semaphore permits;

  ModelRuns(int concurrent) {
    if (concurrent < 1) {
      throw new IllegalArgumentException("at least one model run, not " + concurrent);
    }
    this.permits = new Semaphore(concurrent, true);
  }

  /** {@code run}, waiting for its turn among the others this bounds. */
  <T, R> Function<T, R> limit(Function<T, R> run) {
    return t -> {
      permits.acquireUninterruptibly();
      try {
        return run.apply(t);
      } finally {
        permits.release();
      }
    };
  }
}
