package org.vitaudit.stream;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@link BatchWorker} of each stream thread of one application instance, made when the thread
 * first asks. A worker's thread ends by itself when idle, and a stream thread that is gone takes
 * its entry with it, so nothing here needs closing.
 */
final class BatchWorkers {
  private final Map<Thread, BatchWorker> byStreamThread =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** The worker of the calling stream thread. */
  BatchWorker ofCurrentThread() {
    return byStreamThread.computeIfAbsent(
        Thread.currentThread(), t -> new BatchWorker("vitaudit-batch-" + t.getName()));
  }
}
