package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vitaudit.schemas.BufferedEvent;

/**
 * The runner's contract with the processor, on an audit the test holds and releases: overlapped,
 * batches run off the caller's thread, queue up to a bound, come back in order on the caller's
 * thread, a failure comes back with its batch, and close drops what is pending.
 */
class BatchRunnerTest {
  /** What the audit saw: each batch's first offset and the thread it ran on. */
  private final List<String> ran = new CopyOnWriteArrayList<>();

  private final List<CountDownLatch> gates = new ArrayList<>();

  /** An audit that waits for its batch's gate (batch n: the n-th gate, if any) to open. */
  private Function<List<EventAuditor.Pending>, List<Outcome>> held() {
    return batch -> {
      int n = ran.size();
      ran.add(batch.get(0).event().offset() + "@" + Thread.currentThread().getName());
      if (n < gates.size()) {
        try {
          assertThat(gates.get(n).await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      if (batch.get(0).event().eventId().equals("broken")) {
        throw new ModelFailedException(
            "broken", new IllegalStateException("run"), new IllegalStateException("probe"));
      }
      return batch.stream()
          .<Outcome>map(
              p ->
                  new Outcome.DeadLetter(
                      p.event().eventId(), new IllegalStateException("x"), null, null))
          .toList();
    };
  }

  private static List<BatchBuffer.Entry> batch(long first, int size) {
    return batch(first, size, "e");
  }

  private static List<BatchBuffer.Entry> batch(long first, int size, String idPrefix) {
    return IntStream.range(0, size)
        .mapToObj(
            i -> {
              long offset = first + i;
              BufferedEvent stored =
                  BufferedEvent.newBuilder()
                      .setHeaders(List.of())
                      .setTimestamp(offset)
                      .setTopic("in")
                      .setPartition(0)
                      .setOffset(offset)
                      .setEventId(idPrefix.equals("e") ? "e" + offset : idPrefix)
                      .setEventTime(offset)
                      .setImage(ByteBuffer.wrap(new byte[] {1}))
                      .build();
              return new BatchBuffer.Entry(offset, stored, Optional.empty(), 0);
            })
        .toList();
  }

  /** Opens {@code gate} 200 ms from now, from a thread of its own (started). */
  private static Thread openLater(CountDownLatch gate) {
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                return;
              }
              gate.countDown();
            });
    t.start();
    return t;
  }

  /** A gate the first batch to run waits at until it is opened. */
  private CountDownLatch holdFirstBatch() {
    CountDownLatch first = new CountDownLatch(1);
    gates.add(first);
    return first;
  }

  /** Waits until the worker has started the first batch. */
  private void awaitFirstRun() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ran.isEmpty()) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static List<String> ids(BatchRunner.Done done) {
    return done.outcomes().stream().map(Outcome::eventId).toList();
  }

  @Test
  void inlineRunsTheBatchWithinStartOnTheCallersThread() {
    try (BatchRunner r = BatchRunner.inline(held())) {
      assertThat(r.start(batch(0, 2))).isEmpty();
      assertThat(ran).containsExactly("0@" + Thread.currentThread().getName());
      assertThat(ids(r.poll().orElseThrow())).containsExactly("e0", "e1");
      assertThat(r.poll()).isEmpty();
    }
  }

  @Test
  void overlappedBatchesRunOnTheWorkerAndComeBackInOrder() throws Exception {
    CountDownLatch first = holdFirstBatch();
    try (BatchRunner r = BatchRunner.overlapped(held(), new BatchWorker("batch-worker"))) {
      // Up to the bound, start returns at once although the first batch is held.
      for (int b = 0; b < BatchRunner.MAX_PENDING; b++) {
        assertThat(r.start(batch(10L * b, 2))).isEmpty();
      }
      assertThat(r.pending()).isEqualTo(BatchRunner.MAX_PENDING);
      assertThat(r.poll()).isEmpty();
      first.countDown();
      List<List<String>> back = new ArrayList<>();
      for (int b = 0; b < BatchRunner.MAX_PENDING; b++) {
        back.add(ids(r.await().orElseThrow()));
      }
      assertThat(back.get(0)).containsExactly("e0", "e1");
      assertThat(back.get(BatchRunner.MAX_PENDING - 1))
          .containsExactly(
              "e" + 10L * (BatchRunner.MAX_PENDING - 1),
              "e" + (10L * (BatchRunner.MAX_PENDING - 1) + 1));
      assertThat(ran).allSatisfy(s -> assertThat(s).endsWith("@batch-worker"));
      assertThat(r.await()).isEmpty();
    }
  }

  @Test
  void startWaitsForTheOldestBatchOnceTheBoundIsReachedAndHandsItBack() throws Exception {
    CountDownLatch first = holdFirstBatch();
    try (BatchRunner r = BatchRunner.overlapped(held(), new BatchWorker("batch-worker"))) {
      for (int b = 0; b < BatchRunner.MAX_PENDING; b++) {
        r.start(batch(10L * b, 1));
      }
      Thread opener = openLater(first);
      long t0 = System.nanoTime();
      Optional<BatchRunner.Done> before = r.start(batch(100, 1));
      assertThat((System.nanoTime() - t0) / 1e6)
          .as("start waited for the oldest")
          .isGreaterThan(150);
      assertThat(ids(before.orElseThrow())).containsExactly("e0");
      assertThat(r.pending()).isEqualTo(BatchRunner.MAX_PENDING);
      opener.join();
    }
  }

  @Test
  void aModelThatNoLongerRunsComesBackOnTheCallersThreadWithItsBatch() {
    try (BatchRunner r = BatchRunner.overlapped(held(), new BatchWorker("batch-worker"))) {
      r.start(batch(0, 2, "broken"));
      assertThatThrownBy(r::await)
          .isInstanceOf(ModelFailedException.class)
          .hasMessageContaining("broken");
      assertThat(r.pending()).isZero();
    }
  }

  @Test
  void closeWaitsForTheBatchRunningAndNeverStartsTheOthers() throws Exception {
    CountDownLatch first = holdFirstBatch();
    BatchRunner r = BatchRunner.overlapped(held(), new BatchWorker("batch-worker"));
    r.start(batch(0, 1));
    r.start(batch(10, 1));
    awaitFirstRun();
    Thread opener = openLater(first);
    long t0 = System.nanoTime();
    r.close();
    assertThat((System.nanoTime() - t0) / 1e6)
        .as("close waited for the running batch")
        .isGreaterThan(150);
    assertThat(first.getCount()).isZero();
    assertThat(ran).hasSize(1); // the queued batch never ran
    assertThat(r.pending()).isZero();
    opener.join();
  }

  @Test
  void theTasksOfOneStreamThreadShareItsWorkerAndWaitForAtMostItsBoundOfBatches() throws Exception {
    CountDownLatch first = holdFirstBatch();
    BatchWorker worker = new BatchWorker("batch-worker");
    try (BatchRunner a = BatchRunner.overlapped(held(), worker);
        BatchRunner b = BatchRunner.overlapped(held(), worker)) {
      for (int i = 0; i < BatchWorker.MAX_UNFINISHED; i++) {
        assertThat(a.start(batch(10L * i, 1))).isEmpty();
      }
      assertThat(worker.unfinished()).isEqualTo(BatchWorker.MAX_UNFINISHED);
      Thread opener = openLater(first);
      long t0 = System.nanoTime();
      assertThat(b.start(batch(100, 1))).as("b has no batch of its own to hand back").isEmpty();
      assertThat((System.nanoTime() - t0) / 1e6)
          .as("b waited for the worker's oldest batch, a's")
          .isGreaterThan(150);
      assertThat(a.pending()).as("a's batches are left for a to collect").isEqualTo(3);
      List<String> back = new ArrayList<>();
      for (int i = 0; i < BatchWorker.MAX_UNFINISHED; i++) {
        back.addAll(ids(a.await().orElseThrow()));
      }
      back.addAll(ids(b.await().orElseThrow()));
      assertThat(back).containsExactly("e0", "e10", "e20", "e100");
      assertThat(ran)
          .containsExactly(
              "0@batch-worker", "10@batch-worker", "20@batch-worker", "100@batch-worker");
      opener.join();
    }
  }

  @Test
  void closingATaskNeitherWaitsForAnotherTasksBatchNorRunsItsOwnQueuedOne() throws Exception {
    CountDownLatch first = holdFirstBatch();
    BatchWorker worker = new BatchWorker("batch-worker");
    try (BatchRunner a = BatchRunner.overlapped(held(), worker)) {
      BatchRunner b = BatchRunner.overlapped(held(), worker);
      a.start(batch(0, 1));
      b.start(batch(10, 1)); // queued behind a's, which is held
      awaitFirstRun();
      long t0 = System.nanoTime();
      b.close();
      assertThat((System.nanoTime() - t0) / 1e6).as("close waited for a's batch").isLessThan(5000);
      assertThat(b.pending()).isZero();
      assertThat(worker.unfinished()).isEqualTo(1);
      first.countDown();
      assertThat(ids(a.await().orElseThrow())).containsExactly("e0");
      a.start(batch(20, 1));
      assertThat(ids(a.await().orElseThrow())).containsExactly("e20");
      // The worker runs in order: had b's batch not been taken back, it would have run before 20.
      assertThat(ran).containsExactly("0@batch-worker", "20@batch-worker");
    }
  }
}
