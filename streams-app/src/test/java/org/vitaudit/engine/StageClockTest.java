package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Laps partition the time from the start to the last lap, so they add up to it. */
class StageClockTest {
  @Test
  void lapsAddUpToTheWholeAndARepeatedStageAddsUp() {
    AtomicLong now = new AtomicLong(5_000_000);
    StageClock clock = StageClock.started(now::get);
    now.addAndGet(2_000_000);
    clock.lap("decode");
    now.addAndGet(500_000);
    clock.lap("run");
    now.addAndGet(1_000_000);
    clock.lap("decode");
    assertThat(clock.millis()).containsExactly(Map.entry("decode", 3.0), Map.entry("run", 0.5));
    assertThat(clock.totalMillis()).isEqualTo(3.5);
    // Time after the last lap belongs to no stage and is not in the total.
    now.addAndGet(9_000_000);
    assertThat(clock.totalMillis()).isEqualTo(3.5);
  }

  @Test
  void offRecordsNothing() {
    StageClock.OFF.lap("run");
    assertThat(StageClock.OFF.millis()).isEmpty();
    assertThat(StageClock.OFF.totalMillis()).isZero();
  }
}
