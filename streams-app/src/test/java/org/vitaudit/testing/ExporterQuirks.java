package org.vitaudit.testing;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.vitaudit.model.graph.Nodes;
import org.vitaudit.model.graph.Tensors;
import org.vitaudit.model.proto.Onnx;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Rewrites every attention of a model the way real exporters write theirs (docs/platform-notes.md),
 * so tests can check what the fast H sees through and what it refuses, on a model whose generic H
 * still runs:
 *
 * <ul>
 *   <li>({@link #constantBias}) a constant bias before the softmax, as a learned position bias;
 *   <li>after the softmax: {@code Cast -> Cast} (eager Hugging Face, TorchScript exporter), a
 *       {@code Mul} by a head mask of ones, {@code Where(IsNaN(s), 0, s)} (sdpa through dynamo);
 *   <li>before it: {@code + Where(Expand(keep, [B,1,T,T]), 0, -3.4e38)} (dynamo's attention mask),
 *       sized, as dynamo does, from a shape read at run time; here the scores' own, so the tail
 *       does not read the model input.
 * </ul>
 */
public final class ExporterQuirks {
  private ExporterQuirks() {}

  /**
   * @param heads attention heads, the head mask's width
   * @param keep per key token, whether the mask keeps it: all true gives a bias of zeros, one false
   *     a computed bias that hides that token
   */
  public static ModelProto rewrite(ModelProto model, int heads, boolean[] keep) {
    GraphProto.Builder g = model.getGraph().toBuilder().clearNode();
    List<NodeProto> nodes = model.getGraph().getNodeList();
    List<String[]> renamed = new ArrayList<>(); // {old softmax output, new name its readers take}
    int t = keep.length;
    add(g, "quirk_keep", boolTensor(keep, 1, 1, 1, t));
    g.addInitializer(Tensors.floatTensor("quirk_zero", new float[] {0f}));
    g.addInitializer(Tensors.floatTensor("quirk_min", new float[] {-3.4028235e38f}));
    float[] ones = new float[heads];
    Arrays.fill(ones, 1f);
    g.addInitializer(Tensors.floatTensor("quirk_ones", ones, 1, heads, 1, 1));
    g.addInitializer(Tensors.longTensor("quirk_start", new long[] {0}, 1));
    g.addInitializer(Tensors.longTensor("quirk_end", new long[] {1}, 1));
    g.addInitializer(Tensors.longTensor("quirk_1tt", new long[] {1, t, t}, 3));
    int i = 0;
    for (NodeProto n : nodes) {
      NodeProto.Builder b = n.toBuilder().clearInput();
      for (String in : n.getInputList()) {
        b.addInput(renamedTo(renamed, in));
      }
      n = b.build();
      if (!n.getOpType().equals("Softmax")) {
        g.addNode(n);
        continue;
      }
      String p = "quirk" + (i++) + "_";
      String scores = n.getInput(0);
      String batch =
          node(
              g,
              "Slice",
              p + "batch",
              List.of(node(g, "Shape", p + "shape", List.of(scores)), "quirk_start", "quirk_end"));
      String shape =
          node(
              g, "Concat", p + "mask_shape", List.of(batch, "quirk_1tt"), Nodes.integer("axis", 0));
      String mask = node(g, "Expand", p + "mask", List.of("quirk_keep", shape));
      String bias = node(g, "Where", p + "bias", List.of(mask, "quirk_zero", "quirk_min"));
      String biased = node(g, "Add", p + "biased", List.of(scores, bias));
      g.addNode(n.toBuilder().setInput(0, biased));
      String s = n.getOutput(0);
      String cast =
          node(
              g,
              "Cast",
              p + "cast1",
              List.of(
                  node(
                      g,
                      "Cast",
                      p + "cast0",
                      List.of(s),
                      Nodes.integer("to", TensorProto.DataType.FLOAT_VALUE))),
              Nodes.integer("to", TensorProto.DataType.FLOAT_VALUE));
      String masked = node(g, "Mul", p + "head_mask", List.of(cast, "quirk_ones"));
      String isNan = node(g, "IsNaN", p + "isnan", List.of(masked));
      renamed.add(
          new String[] {
            s, node(g, "Where", p + "nan_guard", List.of(isNan, "quirk_zero", masked))
          });
    }
    return model.toBuilder().setGraph(g).build();
  }

  /**
   * Adds one constant [T, T] bias of random numbers to the scores before every softmax, as a
   * learned position bias would be (the fast H takes it into prefix rows only).
   */
  public static ModelProto constantBias(ModelProto model, int tokens, long seed) {
    Random random = new Random(seed);
    float[] bias = new float[tokens * tokens];
    for (int i = 0; i < bias.length; i++) {
      bias[i] = (float) random.nextGaussian();
    }
    GraphProto.Builder g =
        model.getGraph().toBuilder()
            .clearNode()
            .addInitializer(Tensors.floatTensor("quirk_bias", bias, tokens, tokens));
    int i = 0;
    for (NodeProto n : model.getGraph().getNodeList()) {
      if (n.getOpType().equals("Softmax")) {
        String biased =
            node(g, "Add", "quirk" + (i++) + "_const_biased", List.of(n.getInput(0), "quirk_bias"));
        n = n.toBuilder().setInput(0, biased).build();
      }
      g.addNode(n);
    }
    return model.toBuilder().setGraph(g).build();
  }

  private static String renamedTo(List<String[]> renamed, String in) {
    return renamed.stream().filter(r -> r[0].equals(in)).map(r -> r[1]).findFirst().orElse(in);
  }

  private static String node(
      GraphProto.Builder g,
      String op,
      String name,
      List<String> inputs,
      Onnx.AttributeProto... attributes) {
    g.addNode(Nodes.node(op, name, inputs, List.of(name), attributes));
    return name;
  }

  private static void add(GraphProto.Builder g, String name, TensorProto.Builder t) {
    g.addInitializer(t.setName(name));
  }

  private static TensorProto.Builder boolTensor(boolean[] values, long... dims) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) (values[i] ? 1 : 0);
    }
    return TensorProto.newBuilder()
        .setDataType(TensorProto.DataType.BOOL_VALUE)
        .addAllDims(Arrays.stream(dims).boxed().toList())
        .setRawData(ByteString.copyFrom(bytes));
  }
}
