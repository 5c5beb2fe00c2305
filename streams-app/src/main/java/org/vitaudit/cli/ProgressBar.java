package org.vitaudit.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar with rate and ETA on stderr, redrawn in place. */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String what;
  private final int total;
  private final long start = System.nanoTime();
  private long lastDraw;

  ProgressBar(PrintWriter err, String what, int total) {
    this.err = err;
    this.what = what;
    this.total = total;
  }

  void update(int done) {
    long now = System.nanoTime();
    if (done < total && now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    double seconds = (now - start) / 1e9;
    double rate = done / Math.max(seconds, 1e-9);
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    String eta = done == 0 ? "--:--" : clock((total - done) / rate);
    err.printf(
        Locale.ROOT,
        "\r%s [%s%s] %d/%d  %.1f/s  ETA %s",
        what,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        done,
        total,
        rate,
        eta);
    if (done >= total) {
      err.printf(Locale.ROOT, "  (%s)%n", clock(seconds));
    }
    err.flush();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
