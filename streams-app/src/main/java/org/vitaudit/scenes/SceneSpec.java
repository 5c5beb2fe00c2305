package org.vitaudit.scenes;

/**
 * What kind of scenes to make.
 *
 * @param size width and height in pixels; object sizes and clutter scale with it
 * @param objectCount target objects per scene: 1, or 2 (of different classes, with disjoint boxes)
 * @param maxClutter at most this many clutter items per scene (0 turns clutter off)
 */
public record SceneSpec(int size, int objectCount, int maxClutter) {

  public static final int DEFAULT_SIZE = 64;
  public static final int MIN_SIZE = 32;
  public static final int MAX_SIZE = 1024;
  public static final int DEFAULT_MAX_CLUTTER = 4;

  public SceneSpec {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "size must be between " + MIN_SIZE + " and " + MAX_SIZE + ", got " + size);
    }
    if (objectCount < 1 || objectCount > 2) {
      throw new IllegalArgumentException("objectCount must be 1 or 2, got " + objectCount);
    }
    if (maxClutter < 0) {
      throw new IllegalArgumentException("maxClutter must not be negative, got " + maxClutter);
    }
  }

  /** 64x64 scenes with one object and some clutter: what the demo model is trained on. */
  public static SceneSpec defaults() {
    return new SceneSpec(DEFAULT_SIZE, 1, DEFAULT_MAX_CLUTTER);
  }

  public SceneSpec withSize(int newSize) {
    return new SceneSpec(newSize, objectCount, maxClutter);
  }

  public SceneSpec withObjectCount(int newCount) {
    return new SceneSpec(size, newCount, maxClutter);
  }
}
