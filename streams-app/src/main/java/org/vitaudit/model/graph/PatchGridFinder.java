package org.vitaudit.model.graph;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.TokenLayout;
import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * Finds the patch grid h x w and so the number of prefix tokens, T - h*w, from the input size and
 * the model's own strides; never from a square root of T alone, so non-square inputs work.
 */
public final class PatchGridFinder {
  /** More prefix tokens than this (CLS, distillation, registers) would be a misread grid. */
  static final int MAX_PREFIX = 16;

  private PatchGridFinder() {}

  public static TokenLayout find(
      OnnxGraph graph, Cut cut, int inputHeight, int inputWidth, int tokens) {
    Optional<int[]> fromConvs = convChainOutput(graph, cut, inputHeight, inputWidth);
    if (fromConvs.isPresent()) {
      int[] hw = fromConvs.get();
      int prefix = tokens - hw[0] * hw[1];
      if (prefix >= 0 && prefix <= MAX_PREFIX) {
        return new TokenLayout(prefix, hw[0], hw[1]);
      }
    }
    return fromDividingStride(inputHeight, inputWidth, tokens)
        .orElseThrow(
            () ->
                new ModelNotSupportedException(
                    "cannot tell the patch grid of "
                        + tokens
                        + " tokens for a "
                        + inputHeight
                        + "x"
                        + inputWidth
                        + " input; give it as \"grid\": [h, w] in model.json"));
  }

  /**
   * Follows the spatial ops (Conv, pooling) above F in order, as a patch embedding or a
   * convolutional stem is one chain of them.
   */
  static Optional<int[]> convChainOutput(OnnxGraph graph, Cut cut, int height, int width) {
    List<NodeProto> spatial =
        graph.ancestorsUpTo(List.of(cut.features()), Set.of()).stream()
            .filter(n -> Set.of("Conv", "MaxPool", "AveragePool").contains(n.getOpType()))
            .toList();
    if (spatial.isEmpty()) {
      return Optional.empty();
    }
    int h = height;
    int w = width;
    for (NodeProto n : spatial) {
      long[] kernel = kernel(graph, n);
      if (kernel == null) {
        return Optional.empty();
      }
      h = outputSize(n, 0, h, kernel[0]);
      w = outputSize(n, 1, w, kernel[1]);
    }
    return h > 0 && w > 0 ? Optional.of(new int[] {h, w}) : Optional.empty();
  }

  private static long[] kernel(OnnxGraph graph, NodeProto n) {
    List<Long> ks = OnnxGraph.intsAttribute(n, "kernel_shape");
    if (ks.size() == 2) {
      return new long[] {ks.get(0), ks.get(1)};
    }
    if (n.getOpType().equals("Conv") && n.getInputCount() > 1) {
      return graph
          .constant(n.getInput(1))
          .map(Tensors::dims)
          .filter(d -> d.length == 4)
          .map(d -> new long[] {d[2], d[3]})
          .orElse(null);
    }
    return null;
  }

  private static int outputSize(NodeProto n, int axis, int in, long kernel) {
    List<Long> strides = OnnxGraph.intsAttribute(n, "strides");
    List<Long> pads = OnnxGraph.intsAttribute(n, "pads");
    List<Long> dilations = OnnxGraph.intsAttribute(n, "dilations");
    long stride = strides.size() == 2 ? strides.get(axis) : 1;
    long dilation = dilations.size() == 2 ? dilations.get(axis) : 1;
    String autoPad =
        OnnxGraph.attribute(n, "auto_pad").map(a -> a.getS().toStringUtf8()).orElse("NOTSET");
    if (autoPad.startsWith("SAME")) {
      return (int) ((in + stride - 1) / stride);
    }
    long padTotal = pads.size() == 4 ? pads.get(axis) + pads.get(axis + 2) : 0;
    return (int) ((in + padTotal - dilation * (kernel - 1) - 1) / stride + 1);
  }

  /**
   * For patchify-by-reshape models: the stride dividing both sides that leaves the fewest prefix
   * tokens.
   */
  static Optional<TokenLayout> fromDividingStride(int height, int width, int tokens) {
    TokenLayout best = null;
    for (int s = 1; s <= Math.min(height, width); s++) {
      if (height % s != 0 || width % s != 0) {
        continue;
      }
      int prefix = tokens - (height / s) * (width / s);
      if (prefix >= 0 && prefix <= MAX_PREFIX && (best == null || prefix < best.prefix())) {
        best = new TokenLayout(prefix, height / s, width / s);
      }
    }
    return Optional.ofNullable(best);
  }
}
