package org.vitaudit.engine;

import java.util.List;
import java.util.Optional;

/**
 * How to open an engine on a model.
 *
 * @param inputShape channels, height, width of one input image
 * @param labels class names in class order (may be empty: class numbers are used)
 * @param cut where to cut the model and what H is fed
 * @param grid the patch grid {h, w}, instead of deriving it from the model's strides
 * @param maxHBatch the largest number of masked copies H runs at once
 * @param intraOpThreads ONNX Runtime intra-op threads per session (0 = its default)
 * @param intraOpSpinning whether those threads busy-wait for work between operators (ONNX Runtime's
 *     default) rather than sleep
 */
public record EngineOptions(
    int[] inputShape,
    List<String> labels,
    Device device,
    CutOptions cut,
    Optional<int[]> grid,
    int maxHBatch,
    HMode hMode,
    int intraOpThreads,
    boolean intraOpSpinning) {

  public EngineOptions {
    if (inputShape.length != 3) {
      throw new IllegalArgumentException("input shape must be channels, height, width");
    }
    if (maxHBatch < 1) {
      throw new IllegalArgumentException("max-h-batch must be at least 1, not " + maxHBatch);
    }
    labels = List.copyOf(labels);
  }

  public EngineOptions withHMode(HMode mode) {
    return new EngineOptions(
        inputShape, labels, device, cut, grid, maxHBatch, mode, intraOpThreads, intraOpSpinning);
  }

  public EngineOptions withMaxHBatch(int n) {
    return new EngineOptions(
        inputShape, labels, device, cut, grid, n, hMode, intraOpThreads, intraOpSpinning);
  }

  public EngineOptions withIntraOp(int threads, boolean spinning) {
    return new EngineOptions(
        inputShape, labels, device, cut, grid, maxHBatch, hMode, threads, spinning);
  }

  public EngineOptions withCut(CutOptions c) {
    return new EngineOptions(
        inputShape, labels, device, c, grid, maxHBatch, hMode, intraOpThreads, intraOpSpinning);
  }
}
