package org.vitaudit.cli;

import java.io.PrintWriter;
import org.vitaudit.replay.Progress;

/** {@link Progress} drawn as one {@link ProgressBar} per stage on stderr. */
final class ProgressBars {
  private ProgressBars() {}

  static Progress on(PrintWriter err) {
    return (what, total) -> {
      ProgressBar bar = new ProgressBar(err, what, (int) Math.min(total, Integer.MAX_VALUE));
      return done -> bar.update((int) Math.min(done, Integer.MAX_VALUE));
    };
  }
}
