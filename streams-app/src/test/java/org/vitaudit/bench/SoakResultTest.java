package org.vitaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakResultTest {
  @Test
  void theSlopesAreLeastSquaresOverTheSecondHalfInMiBPerThousand() {
    // Heap grows 3 MiB per 1,000 in the first half (warm-up), then stays flat; RSS grows 2 MiB per
    // 1,000 throughout, with alternating +-1 MiB of noise that least squares averages out.
    List<SoakResult.Sample> samples = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      long n = i * 1000L;
      double heap = i <= 4 ? 3.0 * i : 12.0;
      double rss = 100 + 2.0 * i + (i % 2 == 0 ? 1 : -1);
      samples.add(new SoakResult.Sample(n, heap, rss, 50));
    }
    SoakResult r = new SoakResult("events", samples);
    assertThat(r.heapSlope()).isCloseTo(0.0, within(1e-9));
    // The independent fit of the second half (x = 5..8 thousand, y = 109, 113, 113, 117):
    // mean x 6.5, mean y 113; sxy = (-1.5)(-4) + (-0.5)(0) + (0.5)(0) + (1.5)(4) = 12; sxx = 5.
    assertThat(r.rssSlope()).isCloseTo(12.0 / 5.0, within(1e-9));
    // With the committed heap constant, what lives off the heap grows as the resident set does.
    assertThat(r.offHeapSlope()).isCloseTo(12.0 / 5.0, within(1e-9));
  }
}
