package org.vitaudit.scenes;

/**
 * A small SplitMix64 generator. The scenes must be reproducible byte for byte across JDKs and
 * machines (a model is trained on them and checked against them later), so the generator's
 * arithmetic is written out here rather than borrowed from a JDK class whose algorithm is not part
 * of its contract.
 */
final class SceneRandom {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  private SceneRandom(long state) {
    this.state = state;
  }

  /**
   * The generator of scene {@code index} under {@code seed}. Derived from the pair alone, so scene
   * i is the same whatever the number of scenes asked for, and neighbouring indices are unrelated.
   */
  static SceneRandom forScene(long seed, long index) {
    return new SceneRandom(mix(mix(seed) + index * GOLDEN_GAMMA));
  }

  /**
   * An independent generator for one part of a scene (background, clutter, objects). Each part
   * drawing from its own stream keeps the backdrop identical whatever the objects draw, which is
   * what lets the tests compare a scene with its backdrop.
   */
  SceneRandom fork(Stream stream) {
    return new SceneRandom(mix(state ^ mix(stream.ordinal() + 1L)));
  }

  /** The parts of a scene that draw their own random numbers. */
  enum Stream {
    BACKGROUND,
    CLUTTER,
    OBJECTS
  }

  long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, 1), from the top 53 bits. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [lo, hi). */
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * nextDouble();
  }

  /** Uniform in [0, bound); the modulo bias is below 2^-40 for the small bounds used here. */
  int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    return (int) Long.remainderUnsigned(nextLong(), bound);
  }

  /** Uniform in [lo, hi], both inclusive. */
  int between(int lo, int hi) {
    return lo + nextInt(hi - lo + 1);
  }

  boolean nextBoolean() {
    return nextLong() < 0;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
