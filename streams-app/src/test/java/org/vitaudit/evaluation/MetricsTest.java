package org.vitaudit.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitaudit.model.TokenLayout;

/** Each metric on cases small enough to work out by hand. */
class MetricsTest {
  @Test
  void dropIncreaseAndAdccFollowTheirDefinitions() {
    // Y = 0.8, O = 0.6: drop 0.25; coherency 0.9, complexity 0.4:
    // ADCC = 3 / (1/0.9 + 1/0.6 + 1/0.75) = 3 / (1.1111 + 1.6667 + 1.3333) = 0.72973
    ImageQuality q = new ImageQuality(0.8, 0.6, 0.9, 0.4);
    assertThat(q.drop()).isCloseTo(0.25, within(1e-12));
    assertThat(q.increase()).isFalse();
    assertThat(q.adcc()).isCloseTo(0.729730, within(1e-6));
    ImageQuality up = new ImageQuality(0.5, 0.7, 1, 0.2);
    assertThat(up.drop()).isZero();
    assertThat(up.increase()).isTrue();
    // Zero coherency, or a map covering everything, leaves no harmonic mean.
    assertThat(new ImageQuality(0.5, 0.5, 0, 0.2).adcc()).isZero();
    assertThat(new ImageQuality(0.5, 0.5, 0.8, 1).adcc()).isZero();
  }

  @Test
  void pearsonIsOneForAffinelyRelatedMapsAndNaNForConstantOnes() {
    assertThat(MapMath.pearson(new float[] {1, 2, 3}, new float[] {2, 4, 6}))
        .isCloseTo(1, within(1e-12));
    assertThat(MapMath.pearson(new float[] {1, 2, 3}, new float[] {3, 2, 1}))
        .isCloseTo(-1, within(1e-12));
    // (1,0,0,1) against (1,1,0,0): covariance 0.
    assertThat(MapMath.pearson(new float[] {1, 0, 0, 1}, new float[] {1, 1, 0, 0}))
        .isCloseTo(0, within(1e-12));
    assertThat(MapMath.pearson(new float[] {1, 1}, new float[] {0, 1})).isNaN();
  }

  @Test
  void maskingMultipliesEveryChannelByTheSameMap() {
    float[] input = {1, 2, 3, 4, 10, 20, 30, 40}; // 2 channels of 2x2
    float[] map = {0, 0.5f, 1, 0.25f};
    assertThat(MapMath.mask(input, map)).containsExactly(0, 1, 3, 1, 0, 10, 30, 10);
  }

  @Test
  void upsamplingKeepsAConstantMapAndInterpolatesBetweenCells() {
    assertThat(MapMath.upsample(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 2, 2, 8, 8))
        .containsOnly(0.5f);
    // 1x2 grid (0, 1) to width 4: half-pixel centres sample source x = -0.25, 0.25, 0.75, 1.25.
    float[] up = MapMath.upsample(new float[] {0, 1}, 1, 2, 1, 4);
    assertThat(up[0]).isZero();
    assertThat(up[1]).isCloseTo(0.25f, within(1e-6f));
    assertThat(up[2]).isCloseTo(0.75f, within(1e-6f));
    assertThat(up[3]).isEqualTo(1f);
  }

  @Test
  void energyInsideTheBoxIsItsShareOfTheTotal() {
    float[] map = {1, 1, 0, 2}; // 2x2
    assertThat(MapMath.energyInside(map, 2, 2, new Box(1, 1, 1, 1))).isCloseTo(0.5, within(1e-12));
    assertThat(MapMath.energyInside(map, 2, 2, new Box(0, 0, 1, 0))).isCloseTo(0.5, within(1e-12));
    assertThat(MapMath.energyInside(new float[4], 2, 2, new Box(0, 0, 1, 1))).isZero();
  }

  @Test
  void rolloutMultipliesResidualAugmentedAttentionThroughTheBlocks() {
    // One prefix token, two cells. Block 1: CLS attends only to cell 1 (the second patch).
    // With the residual: row 0 = 0.5*(0,0,1) + 0.5*(1,0,0) = (0.5, 0, 0.5).
    float[] a1 = {0, 0, 1, 0, 1, 0, 0, 0, 1};
    float[] map = RolloutMethod.rollout(List.of(a1), new TokenLayout(1, 1, 2));
    assertThat(map).containsExactly(0f, 1f); // (0, 0.5) min-maxed
    // A second block of pure self-attention changes nothing.
    float[] a2 = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    assertThat(RolloutMethod.rollout(List.of(a1, a2), new TokenLayout(1, 1, 2)))
        .containsExactly(0f, 1f);
    // Block 2 sends CLS wholly to cell 0: row 0 of A2~ = (0.5, 0.5, 0), times A1~ rows 0 and 1:
    // 0.5*(0.5,0,0.5) + 0.5*(0,1,0) = (0.25, 0.5, 0.25): cell 0 gets 0.5, cell 1 0.25.
    float[] a3 = {0, 1, 0, 0, 1, 0, 0, 0, 1};
    assertThat(RolloutMethod.rollout(List.of(a1, a3), new TokenLayout(1, 1, 2)))
        .containsExactly(1f, 0f);
  }

  @Test
  void qualityMeterMasksTheInputWithTheUpsampledMapAndExplainsAgain() {
    // A stand-in method whose probability is the mean input value and whose map is the input
    // itself.
    SaliencyMethod echo =
        new SaliencyMethod() {
          @Override
          public String name() {
            return "echo";
          }

          @Override
          public Output explain(float[] input, int classIndex) {
            double mean = 0;
            for (float v : input) {
              mean += v / input.length;
            }
            return new Output(input.clone(), 2, 2, mean);
          }
        };
    float[] input = {1, 0, 0, 1};
    QualityMeter.Measured m = new QualityMeter(echo, 2, 2).measure(input, 0);
    // Map = input, masked input = input * input = input: nothing changes.
    assertThat(m.quality().confidence()).isEqualTo(0.5);
    assertThat(m.quality().maskedConfidence()).isEqualTo(0.5);
    assertThat(m.quality().coherency()).isCloseTo(1, within(1e-9));
    assertThat(m.quality().complexity()).isCloseTo(0.5, within(1e-9));
    assertThat(m.quality().drop()).isZero();
  }
}
