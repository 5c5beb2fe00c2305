package org.vitaudit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.vitaudit.evaluation.Percentiles;
import org.vitaudit.serde.JsonFields;

/**
 * What {@code bench --stream} prints: for the unbatched and the batched micro-batch size, the
 * stream's rate next to the engine's alone on the same events, round by round, and their medians.
 */
public record StreamComparison(
    StreamComparison.Side single, StreamComparison.Side batched, int warmUpRounds) {

  /**
   * One stream run and the engine alone on the same events just before and just after it, so the
   * machine's drift hits both alike.
   *
   * @param jitShare the share of the round's time the JIT compilers worked (NaN where the JVM does
   *     not tell): lower the warmer the code
   */
  public record Round(
      StreamThroughputBench.Result stream,
      StreamThroughputBench.Result engineBefore,
      StreamThroughputBench.Result engineAfter,
      double jitShare) {
    public double streamEventsPerSecond() {
      return stream.eventsPerSecond();
    }

    /** The mean of the engine's rates before and after the stream run. */
    public double engineEventsPerSecond() {
      return (engineBefore.eventsPerSecond() + engineAfter.eventsPerSecond()) / 2;
    }

    /** The stream's rate as a fraction of the engine's. */
    public double ratio() {
      return streamEventsPerSecond() / engineEventsPerSecond();
    }

    /** The model's time per event in the stream run. */
    public double streamModelMillis() {
      return stream.modelMillis();
    }

    /** The mean of the model's time per event in the engine runs before and after. */
    public double engineModelMillis() {
      return (engineBefore.modelMillis() + engineAfter.modelMillis()) / 2;
    }
  }

  /** Every round of one micro-batch size; the figures are medians over the rounds. */
  public record Side(int batchSize, List<Round> rounds) {
    public Side {
      if (rounds.isEmpty()) {
        throw new IllegalArgumentException("a side needs at least one round");
      }
      rounds = List.copyOf(rounds);
    }

    public double streamEventsPerSecond() {
      return median(Round::streamEventsPerSecond);
    }

    public double engineEventsPerSecond() {
      return median(Round::engineEventsPerSecond);
    }

    /** The median of the rounds' ratios (not the ratio of the medians). */
    public double ratio() {
      return median(Round::ratio);
    }

    public double streamModelMillis() {
      return median(Round::streamModelMillis);
    }

    public double engineModelMillis() {
      return median(Round::engineModelMillis);
    }

    /** The median share of a round's time the JIT compilers worked; NaN where not told. */
    public double jitShare() {
      return median(Round::jitShare);
    }

    public double minRatio() {
      return rounds.stream().mapToDouble(Round::ratio).min().orElseThrow();
    }

    public double maxRatio() {
      return rounds.stream().mapToDouble(Round::ratio).max().orElseThrow();
    }

    private double median(ToDoubleFunction<Round> f) {
      return new Percentiles(rounds.stream().mapToDouble(f).toArray()).median();
    }
  }

  /** How much faster the batched stream is than the unbatched one (medians). */
  public double speedup() {
    return batched.streamEventsPerSecond() / single.streamEventsPerSecond();
  }

  public ObjectNode json() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("events", single.rounds().get(0).stream().events() + 1);
    o.put("rounds", single.rounds().size());
    o.put("batch", batched.batchSize());
    o.put("warm_up_rounds", warmUpRounds);
    o.put("events_per_s_unbatched", round(single.streamEventsPerSecond()));
    o.put("events_per_s_batched", round(batched.streamEventsPerSecond()));
    o.put("speedup", round(speedup()));
    o.put("engine_events_per_s_unbatched", round(single.engineEventsPerSecond()));
    o.put("engine_events_per_s_batched", round(batched.engineEventsPerSecond()));
    o.put("ratio_unbatched", round(single.ratio()));
    o.put("ratio_batched", round(batched.ratio()));
    o.put("model_ms_per_event_unbatched", round(single.streamModelMillis()));
    o.put("model_ms_per_event_batched", round(batched.streamModelMillis()));
    o.put("engine_model_ms_per_event_unbatched", round(single.engineModelMillis()));
    o.put("engine_model_ms_per_event_batched", round(batched.engineModelMillis()));
    ObjectNode each = o.putObject("per_round");
    each.set("unbatched", rounds(single));
    each.set("batched", rounds(batched));
    return o;
  }

  private static ArrayNode rounds(Side side) {
    ArrayNode a = new ObjectMapper().createArrayNode();
    for (Round r : side.rounds()) {
      ObjectNode n = a.addObject();
      n.put("stream_events_per_s", round(r.streamEventsPerSecond()));
      n.put("engine_events_per_s_before", round(r.engineBefore().eventsPerSecond()));
      n.put("engine_events_per_s_after", round(r.engineAfter().eventsPerSecond()));
      n.put("ratio", round(r.ratio()));
      n.put("stream_model_ms_per_event", round(r.streamModelMillis()));
      n.put("engine_model_ms_per_event", round(r.engineModelMillis()));
      if (Double.isNaN(r.jitShare())) {
        n.putNull("jit_share");
      } else {
        n.put("jit_share", round(r.jitShare()));
      }
    }
    return a;
  }

  public void table(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "%-12s %12s %12s %14s %14s %18s%n",
        "micro-batch",
        "stream ev/s",
        "engine ev/s",
        "stream/engine",
        "range",
        "model ms/event s|e");
    row(out, "1 (off)", single);
    row(out, String.valueOf(batched.batchSize()), batched);
    out.printf(
        Locale.ROOT,
        "medians of %d rounds (engine alone, stream, engine alone, each on the same %d events);"
            + " speed-up of batching: stream %.2fx, engine %.2fx; model ms/event: the model's"
            + " time per event in the stream | in the engine alone%n"
            + "after %d warm-up rounds; the JIT compilers worked %s of a round's time"
            + " (median, unbatched | batched)%n",
        single.rounds().size(),
        single.rounds().get(0).stream().events() + 1,
        speedup(),
        batched.engineEventsPerSecond() / single.engineEventsPerSecond(),
        warmUpRounds,
        percent(single.jitShare()) + " | " + percent(batched.jitShare()));
  }

  private static void row(PrintWriter out, String name, Side s) {
    out.printf(
        Locale.ROOT,
        "%-12s %12.1f %12.1f %14.2f %14s %18s%n",
        name,
        s.streamEventsPerSecond(),
        s.engineEventsPerSecond(),
        s.ratio(),
        String.format(Locale.ROOT, "%.2f-%.2f", s.minRatio(), s.maxRatio()),
        String.format(Locale.ROOT, "%.2f | %.2f", s.streamModelMillis(), s.engineModelMillis()));
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "?" : String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }

  private static double round(double v) {
    return JsonFields.round(v, 3);
  }
}
