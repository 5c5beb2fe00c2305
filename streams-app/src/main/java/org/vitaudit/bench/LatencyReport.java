package org.vitaudit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import org.vitaudit.evaluation.Percentiles;
import org.vitaudit.serde.JsonFields;

/**
 * What {@code bench} prints: the three latencies, their ratios, ONNX Runtime's bare run beside (a),
 * peak memory and the stages of one prediction, as a table or JSON.
 */
public record LatencyReport(
    String model, String provider, LatencyBench.Result result, double peakMiB) {

  public ObjectNode json() {
    LatencyBench.Result r = result;
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("model", model);
    o.put("provider", provider);
    o.put("images", r.images());
    o.put("predict_ms", round(r.predict().median()));
    o.put("bare_ms", round(r.bare().median()));
    o.put("ratio_predict_bare", round(r.ratioPredictBare()));
    o.put("generic_ms", round(r.generic().median()));
    if (r.fast().isPresent()) {
      o.put("fast_ms", round(r.fast().get().median()));
    } else {
      o.putNull("fast_ms");
    }
    o.put("ratio_generic", round(r.ratioGeneric()));
    if (r.ratioFast().isPresent()) {
      o.put("ratio_fast", round(r.ratioFast().get()));
    } else {
      o.putNull("ratio_fast");
    }
    ObjectNode p95 = o.putObject("p95_ms");
    p95.put("predict", round(r.predict().at(95)));
    p95.put("bare", round(r.bare().at(95)));
    p95.put("generic", round(r.generic().at(95)));
    r.fast().ifPresent(f -> p95.put("fast", round(f.at(95))));
    o.put("images_per_s_fast", r.fast().map(f -> round(1000 / f.median())).orElse(null));
    o.put("peak_rss_mib", Math.round(peakMiB));
    ObjectNode stages = o.putObject("breakdown_ms");
    r.breakdown().meanMillis().forEach((k, v) -> stages.put(k, round(v)));
    stages.put("total", round(r.breakdown().meanTotalMillis()));
    return o;
  }

  public void table(PrintWriter out) {
    LatencyBench.Result r = result;
    out.printf(
        Locale.ROOT, "model %s on %s, %d measurements per mode%n", model, provider, r.images());
    out.printf(Locale.ROOT, "%-36s %10s %10s %8s%n", "mode", "median ms", "p95 ms", "ratio");
    row(out, "(a) prediction only", r.predict(), 1.0);
    row(out, "    ONNX Runtime alone (a/bare)", r.bare(), r.ratioPredictBare());
    row(out, "(b) prediction + saliency, generic H", r.generic(), r.ratioGeneric());
    if (r.fast().isPresent()) {
      row(out, "(c) prediction + saliency, fast H", r.fast().get(), r.ratioFast().orElseThrow());
    } else {
      out.println("(c) fast H: not available for this model (see the log line above)");
    }
    out.printf(Locale.ROOT, "peak resident memory %.0f MiB%n", peakMiB);
    StringBuilder stages = new StringBuilder();
    r.breakdown()
        .meanMillis()
        .forEach(
            (k, v) ->
                stages
                    .append(stages.length() == 0 ? "" : " + ")
                    .append(k)
                    .append(' ')
                    .append(ms(v)));
    out.printf(
        Locale.ROOT,
        "one image from its bytes to its logits, means in ms: %s = %s%n",
        stages,
        ms(r.breakdown().meanTotalMillis()));
  }

  private static void row(PrintWriter out, String name, Percentiles p, double ratio) {
    out.printf(Locale.ROOT, "%-36s %10.2f %10.2f %8.2f%n", name, p.median(), p.at(95), ratio);
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static double round(double v) {
    return JsonFields.round(v, 3);
  }
}
