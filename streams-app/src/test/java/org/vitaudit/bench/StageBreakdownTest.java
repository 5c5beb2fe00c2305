package org.vitaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.vitaudit.engine.StageClock;

/** The breakdown's stage means add up to the mean of the whole runs. */
class StageBreakdownTest {
  private static StageClock run(long decodeNanos, long runNanos) {
    AtomicLong now = new AtomicLong();
    StageClock c = StageClock.started(now::get);
    now.addAndGet(decodeNanos);
    c.lap("decode");
    now.addAndGet(runNanos);
    c.lap("run");
    return c;
  }

  @Test
  void stageMeansAddUpToTheMeanTotal() {
    StageBreakdown b = new StageBreakdown();
    b.add(run(1_000_000, 10_000_000));
    b.add(run(3_000_000, 30_000_000));
    b.add(run(2_000_000, 50_000_000));
    assertThat(b.runs()).isEqualTo(3);
    assertThat(b.meanMillis()).containsExactly(Map.entry("decode", 2.0), Map.entry("run", 30.0));
    assertThat(b.meanTotalMillis()).isCloseTo(32.0, within(1e-9));
    assertThat(b.meanMillis().values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(b.meanTotalMillis(), within(1e-9));
  }

  @Test
  void noRunsHaveNoMeans() {
    assertThat(new StageBreakdown().meanTotalMillis()).isNaN();
  }
}
