package org.vitaudit.model.synthetic;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.vitaudit.model.graph.Nodes;
import org.vitaudit.model.graph.Tensors;
import org.vitaudit.model.proto.Onnx.AttributeProto;
import org.vitaudit.model.proto.Onnx.GraphProto;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.NodeProto;
import org.vitaudit.model.proto.Onnx.OperatorSetIdProto;
import org.vitaudit.model.proto.Onnx.TensorProto;

/**
 * Writes a ViT with random weights as an ONNX model laid out the way torch exports it at opset 17:
 * Conv patch embedding, CLS token (unless the head pools every token) and position embedding,
 * pre-norm blocks with erf GELU, and the head {@link VitShape#head()} names. The attention is
 * timm's (fused qkv) or Hugging Face's (separate q, k, v, Dropout after the softmax), as {@link
 * VitShape#attention()} says. The weights mean nothing; the shapes, and so the cost of every stage,
 * are those of the real model.
 */
public final class SyntheticVit {
  private final VitShape s;
  private final SplittableRandom random;
  private final GraphProto.Builder g = GraphProto.newBuilder();
  private final ExternalWeights external;
  private int counter;

  /** Smaller tensors stay inside the graph, as exporters keep them. */
  private static final long EXTERNAL_MIN_VALUES = 1024;

  private SyntheticVit(VitShape shape, long seed, ExternalWeights external) {
    this.s = shape;
    this.random = new SplittableRandom(seed);
    this.external = external;
  }

  public static ModelProto build(VitShape shape, long seed) {
    return new SyntheticVit(shape, seed, null).model();
  }

  /**
   * The same model with every weight matrix written to {@code dataFile} (external data), for shapes
   * whose weights do not fit a 2 GB protobuf; the graph names the file relative to its folder.
   */
  public static ModelProto build(VitShape shape, long seed, Path dataFile) {
    try (ExternalWeights weights = new ExternalWeights(dataFile)) {
      return new SyntheticVit(shape, seed, weights).model();
    }
  }

  private ModelProto model() {
    int d = s.dim();
    g.setName(s.name())
        .addInput(
            Nodes.value(
                "input",
                TensorProto.DataType.FLOAT,
                "batch",
                3L,
                (long) s.imageSize(),
                (long) s.imageSize()))
        .addOutput(Nodes.value("logits", TensorProto.DataType.FLOAT, "batch", (long) s.classes()));
    String patches =
        op(
            "Conv",
            List.of(
                "input",
                weight(
                    "patch_embed.proj.weight",
                    3 * s.patch() * s.patch(),
                    d,
                    3,
                    s.patch(),
                    s.patch()),
                constant("patch_embed.proj.bias", d)),
            Nodes.ints("kernel_shape", s.patch(), s.patch()),
            Nodes.ints("strides", s.patch(), s.patch()));
    String tokens =
        op(
            "Transpose",
            List.of(op("Reshape", patches, longs(0, d, -1))),
            Nodes.ints("perm", 0, 2, 1));
    if (s.prefix() > 0) {
      String batch = op("Slice", op("Shape", "input"), longs(0), longs(1), longs(0));
      String cls =
          op(
              "Expand",
              constant("cls_token", 1, 1, d),
              op("Concat", List.of(batch, longs(1, d)), Nodes.integer("axis", 0)));
      tokens = op("Concat", List.of(cls, tokens), Nodes.integer("axis", 1));
    }
    String x = op("Add", tokens, weight("pos_embed", 1, 1, s.tokens(), d));
    for (int b = 0; b < s.depth(); b++) {
      x = block(x, "blocks." + b + ".");
    }
    g.addNode(Nodes.node("Identity", "output", List.of(head(x)), List.of("logits")));
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("vit-audit synthetic")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(g)
        .build();
  }

  /** Logits [B, C] from the last block's output [B, T, D]. */
  private String head(String x) {
    int d = s.dim();
    String pooled =
        switch (s.head()) {
          case CLS ->
              op(
                  "Reshape",
                  op("Gather", List.of(layerNorm(x, "norm."), longs(0)), Nodes.integer("axis", 1)),
                  longs(-1, d));
          case CLS_AND_MEAN -> {
            String z = layerNorm(x, "norm.");
            String cls = op("Gather", List.of(z, scalar(0)), Nodes.integer("axis", 1));
            String patches = op("Slice", z, longs(1), longs(Long.MAX_VALUE), longs(1));
            String mean =
                op(
                    "ReduceMean",
                    List.of(patches),
                    Nodes.ints("axes", 1),
                    Nodes.integer("keepdims", 0));
            yield op("Concat", List.of(cls, mean), Nodes.integer("axis", 1));
          }
          case MEAN ->
              layerNorm(
                  op("ReduceMean", List.of(x), Nodes.ints("axes", 1), Nodes.integer("keepdims", 0)),
                  "fc_norm.");
        };
    int width = s.head() == VitShape.Head.CLS_AND_MEAN ? 2 * d : d;
    return op(
        "Gemm",
        List.of(
            pooled,
            weight("head.weight", width, s.classes(), width),
            constant("head.bias", s.classes())),
        Nodes.integer("transB", 1));
  }

  private String block(String x, String p) {
    int d = s.dim();
    String proj =
        op(
            "Add",
            op(
                "MatMul",
                attention(layerNorm(x, p + "norm1."), p),
                weight(p + "attn.proj.weight", d, d, d)),
            constant(p + "attn.proj.bias", d));
    String y = op("Add", x, proj);
    int hidden = d * s.mlpRatio();
    String fc1 =
        op(
            "Add",
            op("MatMul", layerNorm(y, p + "norm2."), weight(p + "mlp.fc1.weight", d, d, hidden)),
            constant(p + "mlp.fc1.bias", hidden));
    String gelu =
        op(
            "Mul",
            op(
                "Mul",
                fc1,
                op("Add", op("Erf", op("Div", fc1, floats((float) Math.sqrt(2)))), floats(1f))),
            floats(0.5f));
    String fc2 =
        op(
            "Add",
            op("MatMul", gelu, weight(p + "mlp.fc2.weight", hidden, hidden, d)),
            constant(p + "mlp.fc2.bias", d));
    return op("Add", y, fc2);
  }

  /** The heads' context merged back to [B, T, D], before the output projection. */
  private String attention(String f, String p) {
    int d = s.dim();
    int h = s.heads();
    int dh = s.headDim();
    String q;
    String kt;
    String v;
    if (s.attention() == VitShape.Attention.TIMM) {
      String qkv =
          op(
              "Add",
              op("MatMul", f, weight(p + "attn.qkv.weight", d, d, 3 * d)),
              constant(p + "attn.qkv.bias", 3 * d));
      String split =
          op(
              "Transpose",
              List.of(op("Reshape", qkv, longs(0, 0, 3, h, dh))),
              Nodes.ints("perm", 2, 0, 3, 1, 4));
      q =
          op(
              "Mul",
              op("Gather", List.of(split, scalar(0)), Nodes.integer("axis", 0)),
              floats((float) (1 / Math.sqrt(dh))));
      kt =
          op(
              "Transpose",
              List.of(op("Gather", List.of(split, scalar(1)), Nodes.integer("axis", 0))),
              Nodes.ints("perm", 0, 1, 3, 2));
      v = op("Gather", List.of(split, scalar(2)), Nodes.integer("axis", 0));
    } else {
      q = heads(linear(f, p + "attention.query."), Nodes.ints("perm", 0, 2, 1, 3));
      kt = heads(linear(f, p + "attention.key."), Nodes.ints("perm", 0, 2, 3, 1));
      v = heads(linear(f, p + "attention.value."), Nodes.ints("perm", 0, 2, 1, 3));
    }
    String scores = op("MatMul", q, kt);
    if (s.attention() == VitShape.Attention.HUGGING_FACE) {
      scores = op("Div", scores, floats((float) Math.sqrt(dh)));
    }
    String attn = op("Softmax", List.of(scores), Nodes.integer("axis", -1));
    if (s.attention() == VitShape.Attention.HUGGING_FACE) {
      attn = op("Dropout", attn, floats(0.1f)); // inference: no training_mode, so the identity
    }
    return op(
        "Reshape",
        op("Transpose", List.of(op("MatMul", attn, v)), Nodes.ints("perm", 0, 2, 1, 3)),
        longs(0, 0, d));
  }

  private String linear(String x, String p) {
    int d = s.dim();
    return op("Add", op("MatMul", x, weight(p + "weight", d, d, d)), constant(p + "bias", d));
  }

  /** [B, T, D] to [B, H, T, dh] (or [B, H, dh, T] for keys) by the given permutation. */
  private String heads(String x, AttributeProto perm) {
    return op("Transpose", List.of(op("Reshape", x, longs(0, 0, s.heads(), s.headDim()))), perm);
  }

  private String layerNorm(String x, String p) {
    return op(
        "LayerNormalization",
        List.of(x, ones(p + "weight", s.dim()), constant(p + "bias", s.dim())),
        Nodes.integer("axis", -1),
        Nodes.real("epsilon", 1e-6f));
  }

  private String op(String type, String... inputs) {
    return op(type, List.of(inputs));
  }

  private String op(String type, List<String> inputs, AttributeProto... attrs) {
    String name = "/" + type + "_" + (counter++);
    NodeProto n = Nodes.node(type, name, inputs, List.of(name + "_output_0"), attrs);
    g.addNode(n);
    return name + "_output_0";
  }

  /** Uniform weights with the standard deviation of a fan-in initialisation. */
  private String weight(String name, int fanIn, long... dims) {
    long count = 1;
    for (long dim : dims) {
      count *= dim;
    }
    double bound = Math.sqrt(3.0 / fanIn);
    ByteBuffer bytes =
        ByteBuffer.allocate(Math.toIntExact(4 * count)).order(ByteOrder.LITTLE_ENDIAN);
    FloatBuffer f = bytes.asFloatBuffer();
    for (long i = 0; i < count; i++) {
      f.put((float) ((random.nextDouble() * 2 - 1) * bound));
    }
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addAllDims(Arrays.stream(dims).boxed().toList());
    g.addInitializer(
        external != null && count > EXTERNAL_MIN_VALUES
            ? external.store(t, bytes)
            : t.setRawData(ByteString.copyFrom(bytes.array())));
    return name;
  }

  private String constant(String name, long... dims) {
    return weight(name, 400, dims);
  }

  private String ones(String name, int n) {
    float[] v = new float[n];
    Arrays.fill(v, 1f);
    g.addInitializer(Tensors.floatTensor(name, v, n));
    return name;
  }

  private String longs(long... values) {
    String name = "const_" + (counter++);
    g.addInitializer(Tensors.longTensor(name, values, values.length));
    return name;
  }

  private String scalar(long value) {
    String name = "const_" + (counter++);
    g.addInitializer(Tensors.longTensor(name, new long[] {value}));
    return name;
  }

  private String floats(float value) {
    String name = "const_" + (counter++);
    g.addInitializer(Tensors.floatTensor(name, new float[] {value}));
    return name;
  }
}
