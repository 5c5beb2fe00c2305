package org.vitaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How bench --stream turns its runs into rates, ratios and their spread. */
class StreamComparisonTest {
  private static StreamThroughputBench.Result rate(int batch, double perSecond) {
    return new StreamThroughputBench.Result(batch, 100, 100 / perSecond, 1000 / perSecond);
  }

  private static StreamComparison.Round round(
      int batch, double stream, double before, double after) {
    return new StreamComparison.Round(
        rate(batch, stream), rate(batch, before), rate(batch, after), 0.01);
  }

  @Test
  void theRateSpansTheGapsBetweenTheFirstAndTheLastRecord() {
    // Three records 0.5 s and 1.5 s apart: two events in two seconds.
    StreamThroughputBench.Result r =
        StreamThroughputBench.Result.between(16, List.of(3_000L, 1_000L, 1_500L), 1.5);
    assertThat(r.events()).isEqualTo(2);
    assertThat(r.seconds()).isEqualTo(2.0);
    assertThat(r.eventsPerSecond()).isEqualTo(1.0);
    assertThatThrownBy(() -> StreamThroughputBench.Result.between(1, List.of(5L), 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachRoundHoldsTheStreamAgainstTheMeanOfTheEngineAroundIt() {
    StreamComparison.Round r = round(16, 90, 100, 80);
    assertThat(r.engineEventsPerSecond()).isCloseTo(90, within(1e-9));
    assertThat(r.ratio()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void aSideGivesMediansAndTheSpreadOfItsRounds() {
    StreamComparison.Side side =
        new StreamComparison.Side(
            16, List.of(round(16, 80, 100, 100), round(16, 45, 50, 50), round(16, 70, 100, 100)));
    assertThat(side.streamEventsPerSecond()).isCloseTo(70, within(1e-9));
    assertThat(side.engineEventsPerSecond()).isCloseTo(100, within(1e-9));
    // The median of the ratios 0.8, 0.9, 0.7 (not 70 / 100).
    assertThat(side.ratio()).isCloseTo(0.8, within(1e-9));
    assertThat(side.minRatio()).isCloseTo(0.7, within(1e-9));
    assertThat(side.maxRatio()).isCloseTo(0.9, within(1e-9));
    assertThatThrownBy(() -> new StreamComparison.Side(16, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theJitSharesComeFromTheCompilersClockAndStayUnknownWhereItIsNot() {
    assertThat(JitClock.share(100, 150, 1_000_000_000L)).isCloseTo(0.05, within(1e-12));
    assertThat(JitClock.share(-1, -1, 1_000_000_000L)).isNaN();
    // HotSpot tells its compilers' time, and compiling is what a fresh JVM does first.
    assertThat(JitClock.millis()).isPositive();
    // A watch's share is a share of wall time: known on HotSpot, and never below zero.
    assertThat(JitClock.watch().share()).isNotNaN().isGreaterThanOrEqualTo(0);
  }

  @Test
  void theWarmUpEndsWhenTheCompilersAreQuietOrNoLongerQuieter() {
    double first = Double.POSITIVE_INFINITY;
    assertThat(StreamThroughputBench.quiet(0.53, first)).isFalse();
    assertThat(StreamThroughputBench.quiet(0.04, first)).isTrue();
    // 35 % after 53 %, then 19 %: still falling; then 12.1 % and 12.3 %: levelled off.
    assertThat(StreamThroughputBench.quiet(0.35, 0.53)).isFalse();
    assertThat(StreamThroughputBench.quiet(0.19, 0.35)).isFalse();
    assertThat(StreamThroughputBench.quiet(0.123, 0.121)).isTrue();
    assertThat(StreamThroughputBench.quiet(Double.NaN, first)).isTrue();
  }

  @Test
  void jsonAndTableCarryBothRatesAndTheRatio() {
    StreamComparison c =
        new StreamComparison(
            new StreamComparison.Side(1, List.of(round(1, 50, 100, 100))),
            new StreamComparison.Side(16, List.of(round(16, 85, 100, 100))),
            2);
    JsonNode o = c.json();
    assertThat(o.get("warm_up_rounds").asInt()).isEqualTo(2);
    assertThat(o.get("per_round").get("unbatched").get(0).get("jit_share").asDouble())
        .isCloseTo(0.01, within(1e-9));
    assertThat(o.get("events").asInt()).isEqualTo(101);
    assertThat(o.get("rounds").asInt()).isEqualTo(1);
    assertThat(o.get("batch").asInt()).isEqualTo(16);
    assertThat(o.get("events_per_s_unbatched").asDouble()).isCloseTo(50, within(1e-3));
    assertThat(o.get("events_per_s_batched").asDouble()).isCloseTo(85, within(1e-3));
    assertThat(o.get("engine_events_per_s_batched").asDouble()).isCloseTo(100, within(1e-3));
    assertThat(o.get("ratio_unbatched").asDouble()).isCloseTo(0.5, within(1e-3));
    assertThat(o.get("ratio_batched").asDouble()).isCloseTo(0.85, within(1e-3));
    assertThat(o.get("speedup").asDouble()).isCloseTo(1.7, within(1e-3));
    assertThat(o.get("per_round").get("batched").get(0).get("ratio").asDouble())
        .isCloseTo(0.85, within(1e-3));
    // The model's time per event, stream beside engine: 1000 / rate in these made-up runs.
    assertThat(o.get("model_ms_per_event_batched").asDouble()).isCloseTo(1000 / 85.0, within(1e-3));
    assertThat(o.get("engine_model_ms_per_event_batched").asDouble()).isCloseTo(10, within(1e-3));
    StringWriter out = new StringWriter();
    c.table(new PrintWriter(out, true));
    assertThat(out.toString())
        .contains("stream/engine")
        .contains("0.85")
        .contains("11.76 | 10.00")
        .contains("after 2 warm-up rounds")
        .contains("1.0 % | 1.0 %");
  }
}
