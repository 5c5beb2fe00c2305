package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The bound on model runs holds across the workers that share it, and a failure frees its turn. */
class ModelRunsTest {
  @Test
  void noMoreRunsAtOnceThanTheBoundAndAFailedRunFreesItsTurn() throws Exception {
    ModelRuns runs = new ModelRuns(2);
    AtomicInteger now = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Function<Integer, Integer> run =
        runs.limit(
            i -> {
              most.accumulateAndGet(now.incrementAndGet(), Math::max);
              try {
                Thread.sleep(30);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              } finally {
                now.decrementAndGet();
              }
              if (i < 0) {
                throw new IllegalStateException("failed");
              }
              return i * 2;
            });
    assertThatThrownBy(() -> run.apply(-1)).hasMessage("failed");
    List<Thread> workers = new ArrayList<>();
    List<Integer> results = new ArrayList<>();
    for (int w = 0; w < 6; w++) {
      int n = w;
      Thread t =
          new Thread(
              () -> {
                int r = run.apply(n);
                synchronized (results) {
                  results.add(r);
                }
              });
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      t.join();
    }
    assertThat(results).containsExactlyInAnyOrder(0, 2, 4, 6, 8, 10);
    assertThat(most.get()).isEqualTo(2);
    assertThatThrownBy(() -> new ModelRuns(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
