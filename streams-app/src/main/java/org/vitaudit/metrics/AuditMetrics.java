package org.vitaudit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.vitaudit.evaluation.ImageQuality;

/**
 * The application's own meters. In Prometheus: {@code vitaudit_records_in_total}, {@code
 * vitaudit_records_out_total}, {@code vitaudit_records_dlq_total{reason=...}} and {@code
 * vitaudit_stage_seconds_bucket{stage="decode|g|h|total",...}} (histograms, so quantiles can be
 * aggregated across instances), {@code vitaudit_quality_percent_bucket{metric=...}} and {@code
 * vitaudit_model_info{model,sha256,provider}} and {@code vitaudit_model_up}. Thread-safe: stream
 * threads share one instance.
 */
public final class AuditMetrics {

  /** Pipeline stages timed per record. */
  public enum Stage {
    /** Image bytes to the model's input tensor. */
    DECODE,
    /** Backbone up to the last block's input. */
    G,
    /** The masked runs of the last block and the head. */
    H,
    /** From record in to record out. */
    TOTAL;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String RECORDS_IN = "vitaudit.records.in";
  public static final String RECORDS_OUT = "vitaudit.records.out";
  public static final String RECORDS_DLQ = "vitaudit.records.dlq";
  public static final String STAGE_TIME = "vitaudit.stage";
  public static final String QUALITY = "vitaudit.quality";
  public static final String MODEL_INFO = "vitaudit.model.info";
  public static final String MODEL_UP = "vitaudit.model.up";

  private final MeterRegistry registry;
  private final Counter in;
  private final Counter out;
  private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);

  public AuditMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.in =
        Counter.builder(RECORDS_IN)
            .description("Input records taken for auditing")
            .register(registry);
    this.out =
        Counter.builder(RECORDS_OUT).description("Audit records produced").register(registry);
    for (Stage s : Stage.values()) {
      stages.put(
          s,
          Timer.builder(STAGE_TIME)
              .description("Time spent per record in one pipeline stage")
              .tag("stage", s.tag())
              .publishPercentileHistogram()
              // Large models on CPU take tens of seconds; the default 30 s top bucket would clip
              // them.
              .minimumExpectedValue(Duration.ofNanos(100_000))
              .maximumExpectedValue(Duration.ofMinutes(2))
              .register(registry));
    }
  }

  /**
   * Publishes the audited model and the ONNX Runtime provider it runs on as labels of a constant 1
   * (an info metric), so a dashboard can tell which instances fell back to the CPU or run another
   * model.
   *
   * @param provider as in audit records: {@code CPU} or {@code CUDA:N}
   */
  public void modelInfo(String model, String sha256, String provider) {
    Gauge.builder(MODEL_INFO, () -> 1)
        .description("The audited model and its ONNX Runtime execution provider (always 1)")
        .tags("model", model, "sha256", sha256, "provider", provider)
        .register(registry);
  }

  /**
   * Publishes whether the model runs: 1, or 0 where it cannot be opened or has stopped running (the
   * instance then consumes nothing and {@code /health/ready} says why).
   */
  public void modelUp(BooleanSupplier up) {
    Gauge.builder(MODEL_UP, () -> up.getAsBoolean() ? 1 : 0)
        .description("1 while the model runs, 0 where it cannot be opened or no longer runs")
        .register(registry);
  }

  public void recordIn() {
    in.increment();
  }

  public void recordOut() {
    out.increment();
  }

  /**
   * Counts one record sent to the dead-letter topic.
   *
   * @param reason one of a small fixed set (e.g. {@code corrupt_image}); it becomes a label, so
   *     never pass free text such as an exception message
   */
  public void recordDlq(String reason) {
    Counter.builder(RECORDS_DLQ)
        .description("Records sent to the dead-letter topic")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void recordStage(Stage stage, long nanos) {
    stages.get(stage).record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Records the quality of one sampled explanation (percentages, 0-100), so a dashboard can alert
   * when explanations degrade: a drifting model often shows it here first.
   */
  public void recordQuality(ImageQuality q) {
    quality("drop", 100 * q.drop());
    quality("increase", q.increase() ? 100 : 0);
    quality("coherency", 100 * q.coherency());
    quality("complexity", 100 * q.complexity());
    quality("adcc", 100 * q.adcc());
  }

  private void quality(String metric, double percent) {
    DistributionSummary.builder(QUALITY)
        .description("Explanation quality of sampled events, in percent (Poppi et al.)")
        .tag("metric", metric)
        .baseUnit("percent")
        .serviceLevelObjectives(10, 20, 30, 40, 50, 60, 70, 80, 90, 100)
        .register(registry)
        .record(percent);
  }

  /** The timer of one stage, e.g. for {@code timer(Stage.G).record(() -> ...)}. */
  public Timer timer(Stage stage) {
    return stages.get(stage);
  }
}
