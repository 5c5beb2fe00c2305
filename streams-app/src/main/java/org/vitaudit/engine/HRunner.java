package org.vitaudit.engine;

/** H: from one image's F to the logits of every masked copy. */
interface HRunner extends AutoCloseable {
  @Override
  void close();

  /**
   * @param features F of one image, [T, D] row-major
   * @param blockInput X of the same image, [T, D] row-major, where H's residual reads it; else null
   * @return the logits of the N copies, [N, C] row-major
   */
  float[] logits(float[] features, float[] blockInput);

  /** Which H this is. */
  HKind kind();
}
