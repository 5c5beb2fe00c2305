package org.vitaudit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.vitaudit.serde.JsonFields;

/**
 * Memory sampled along a soak: the heap after a full collection (what live objects hold), the
 * resident set, and the resident set less the heap the JVM has committed: what lives off the heap
 * (ONNX Runtime's tensors and sessions, RocksDB, thread stacks, code), where a native leak would
 * show. The JVM grows and shrinks its committed heap as it pleases, so the resident set alone moves
 * by hundreds of MiB without any leak. Each slope is taken over the second half, when start-up and
 * warm-up are over.
 *
 * @param what the unit counted, e.g. "events" or "explains"
 */
public record SoakResult(String what, List<Sample> samples) {
  /** Memory after {@code count} units. */
  public record Sample(long count, double heapMiB, double rssMiB, double committedHeapMiB) {
    public double offHeapMiB() {
      return rssMiB - committedHeapMiB;
    }
  }

  public SoakResult {
    samples = List.copyOf(samples);
  }

  /** Least-squares slope of the heap over the second half, in MiB per 1,000 units. */
  public double heapSlope() {
    return slope(Sample::heapMiB);
  }

  /** Least-squares slope of the resident set over the second half, in MiB per 1,000 units. */
  public double rssSlope() {
    return slope(Sample::rssMiB);
  }

  /** Least-squares slope of the off-heap memory over the second half, in MiB per 1,000 units. */
  public double offHeapSlope() {
    return slope(Sample::offHeapMiB);
  }

  private double slope(ToDoubleFunction<Sample> y) {
    List<Sample> half = samples.subList(samples.size() / 2, samples.size());
    if (half.size() < 2) {
      throw new IllegalStateException("a slope needs at least 4 samples, not " + samples.size());
    }
    double mx = half.stream().mapToDouble(Sample::count).average().orElseThrow();
    double my = half.stream().mapToDouble(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (Sample s : half) {
      sxy += (s.count() - mx) * (y.applyAsDouble(s) - my);
      sxx += (s.count() - mx) * (s.count() - mx);
    }
    return sxy / sxx * 1000;
  }

  public ObjectNode json() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("unit", what);
    o.put("heap_slope_mib_per_1000", JsonFields.round(heapSlope(), 3));
    o.put("rss_slope_mib_per_1000", JsonFields.round(rssSlope(), 3));
    o.put("off_heap_slope_mib_per_1000", JsonFields.round(offHeapSlope(), 3));
    ArrayNode rows = o.putArray("samples");
    for (Sample s : samples) {
      rows.addObject()
          .put(what, s.count())
          .put("heap_mib", JsonFields.round(s.heapMiB(), 1))
          .put("rss_mib", JsonFields.round(s.rssMiB(), 1))
          .put("off_heap_mib", JsonFields.round(s.offHeapMiB(), 1));
    }
    return o;
  }

  public void table(PrintWriter out) {
    out.printf(
        Locale.ROOT, "%12s %14s %10s %14s%n", what, "heap MiB (GC)", "RSS MiB", "off-heap MiB");
    for (Sample s : samples) {
      out.printf(
          Locale.ROOT,
          "%12d %14.1f %10.1f %14.1f%n",
          s.count(),
          s.heapMiB(),
          s.rssMiB(),
          s.offHeapMiB());
    }
    out.printf(
        Locale.ROOT,
        "second half: heap %+.3f MiB, RSS %+.3f MiB, off-heap %+.3f MiB per 1,000 %s%n",
        heapSlope(),
        rssSlope(),
        offHeapSlope(),
        what);
  }
}
