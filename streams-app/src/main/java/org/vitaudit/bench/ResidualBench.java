package org.vitaudit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.HKind;
import org.vitaudit.engine.HMode;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.evaluation.Percentiles;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.model.graph.ResidualSource;
import org.vitaudit.serde.JsonFields;

/**
 * Per-image latency of (a) prediction only and (c) prediction + saliency under each residual
 * reading ({@link ResidualSource}), side by side in one process on the same inputs after warm-up:
 * one engine per reading, with the H that {@code auto} picks for it, all run in turn on each image,
 * so the machine's drift hits every reading alike. The generic H is left out: it costs about 20
 * times (a) per reading on DeiT shapes, and plain {@code bench} measures it.
 */
public final class ResidualBench {
  /** One reading's latency and the H that served it. */
  public record Reading(ResidualSource residual, HKind h, Percentiles latency) {}

  /** What {@code bench --each-residual} prints, as a table or JSON. */
  public record Report(
      String model,
      String provider,
      int images,
      Percentiles predict,
      List<Reading> readings,
      double peakMiB) {

    public double ratio(Reading r) {
      return r.latency().median() / predict.median();
    }

    public ObjectNode json() {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("model", model);
      o.put("provider", provider);
      o.put("images", images);
      o.put("predict_ms", round(predict.median()));
      o.put("predict_p95_ms", round(predict.at(95)));
      var rows = o.putArray("readings");
      for (Reading r : readings) {
        rows.addObject()
            .put("residual", r.residual().cliName())
            .put("h", r.h().cliName())
            .put("ms", round(r.latency().median()))
            .put("p95_ms", round(r.latency().at(95)))
            .put("ratio", round(ratio(r)));
      }
      o.put("peak_rss_mib", Math.round(peakMiB));
      return o;
    }

    public void table(PrintWriter out) {
      out.printf(
          Locale.ROOT, "model %s on %s, %d measurements per mode%n", model, provider, images);
      out.printf(Locale.ROOT, "%-36s %10s %10s %8s%n", "mode", "median ms", "p95 ms", "ratio");
      row(out, "(a) prediction only", predict, 1.0);
      for (Reading r : readings) {
        row(
            out,
            "(c) " + r.residual().cliName() + ", " + r.h().cliName() + " H",
            r.latency(),
            ratio(r));
      }
      out.printf(Locale.ROOT, "peak resident memory %.0f MiB%n", peakMiB);
    }

    private static void row(PrintWriter out, String name, Percentiles p, double ratio) {
      out.printf(Locale.ROOT, "%-36s %10.2f %10.2f %8.2f%n", name, p.median(), p.at(95), ratio);
    }

    private static double round(double v) {
      return JsonFields.round(v, 3);
    }
  }

  private ResidualBench() {}

  /**
   * Opens the plain model and one engine per reading (at the block {@code options} cut at), runs
   * them on {@code inputs} and closes them.
   *
   * @param progress called with the number of images measured so far, out of inputs x rounds
   */
  public static Report measure(
      ModelSetup setup,
      EngineOptions options,
      ExplainRequest request,
      List<float[]> inputs,
      int warmup,
      int rounds,
      Consumer<Integer> progress) {
    List<SaliencyEngine> engines = new ArrayList<>();
    try (Classifier plain = new Classifier(setup.bundle(), options)) {
      for (ResidualSource residual : ResidualSource.values()) {
        engines.add(
            SaliencyEngine.open(
                setup.bundle(),
                options.withHMode(HMode.AUTO).withCut(options.cut().withResidual(residual))));
      }
      for (int i = 0; i < warmup; i++) {
        float[] x = inputs.get(i % inputs.size());
        plain.logits(x);
        engines.forEach(e -> e.explain(x, request));
      }
      List<Double> a = new ArrayList<>();
      List<List<Double>> c = new ArrayList<>();
      engines.forEach(e -> c.add(new ArrayList<>()));
      int done = 0;
      for (int r = 0; r < rounds; r++) {
        for (float[] x : inputs) {
          a.add(LatencyBench.time(() -> plain.logits(x)));
          for (int k = 0; k < engines.size(); k++) {
            SaliencyEngine e = engines.get(k);
            c.get(k).add(LatencyBench.time(() -> e.explain(x, request)));
          }
          progress.accept(++done);
        }
      }
      List<Reading> readings = new ArrayList<>();
      for (int k = 0; k < engines.size(); k++) {
        SaliencyEngine e = engines.get(k);
        readings.add(
            new Reading(e.facts().residual(), e.hKind(request.masks()), new Percentiles(c.get(k))));
      }
      return new Report(
          setup.bundle().name(),
          engines.get(0).facts().provider(),
          inputs.size() * rounds,
          new Percentiles(a),
          readings,
          ProcessMemory.peakMiB());
    } finally {
      engines.forEach(SaliencyEngine::close);
    }
  }
}
