package org.vitaudit.engine;

import java.util.List;
import java.util.Optional;

/**
 * How to open an engine on a model.
 *
 * @param inputShape channels, height, width of one input image
 * @param labels class names in class order (may be empty: class numbers are used)
 * @param cutNode the LN1 node to cut at, instead of searching for it
 * @param grid the patch grid {h, w}, instead of deriving it from the model's strides
 * @param maxHBatch the largest number of masked copies H runs at once
 * @param intraOpThreads ONNX Runtime intra-op threads per session (0 = its default)
 * @param features which tensor the masks scale (LN1's output by default)
 */
public record EngineOptions(int[] inputShape, List<String> labels, Device device, Optional<String> cutNode,
    Optional<int[]> grid, int maxHBatch, HMode hMode, int intraOpThreads, FeatureSource features) {

  public EngineOptions {
    if (inputShape.length != 3) {
      throw new IllegalArgumentException("input shape must be channels, height, width");
    }
    if (maxHBatch < 1) {
      throw new IllegalArgumentException("max-h-batch must be at least 1, not " + maxHBatch);
    }
    labels = List.copyOf(labels);
  }

  public static EngineOptions defaults(int[] inputShape, List<String> labels) {
    return new EngineOptions(inputShape, labels, Device.CPU, Optional.empty(), Optional.empty(), 64,
        HMode.AUTO, 0, FeatureSource.LN1);
  }

  public EngineOptions withHMode(HMode mode) {
    return new EngineOptions(inputShape, labels, device, cutNode, grid, maxHBatch, mode, intraOpThreads, features);
  }

  public EngineOptions withMaxHBatch(int n) {
    return new EngineOptions(inputShape, labels, device, cutNode, grid, n, hMode, intraOpThreads, features);
  }

  public EngineOptions withCutNode(Optional<String> node) {
    return new EngineOptions(inputShape, labels, device, node, grid, maxHBatch, hMode, intraOpThreads, features);
  }

  public EngineOptions withDevice(Device d) {
    return new EngineOptions(inputShape, labels, d, cutNode, grid, maxHBatch, hMode, intraOpThreads, features);
  }

  public EngineOptions withFeatures(FeatureSource f) {
    return new EngineOptions(inputShape, labels, device, cutNode, grid, maxHBatch, hMode, intraOpThreads, f);
  }

  public EngineOptions withIntraOpThreads(int n) {
    return new EngineOptions(inputShape, labels, device, cutNode, grid, maxHBatch, hMode, n, features);
  }
}
