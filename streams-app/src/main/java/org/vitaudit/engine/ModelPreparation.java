package org.vitaudit.engine;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.graph.Cut;
import org.vitaudit.model.graph.CutFinder;
import org.vitaudit.model.graph.FeatureModelBuilder;
import org.vitaudit.model.graph.OnnxGraph;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.TensorProto;
import org.vitaudit.model.proto.Onnx.TensorShapeProto;
import org.vitaudit.model.proto.Onnx.ValueInfoProto;

/**
 * Prepares a model for the engine from its bytes alone: parse it, check its one image input, find
 * the cut, build G. Runs nothing, so it opens no ONNX Runtime session; a model it refuses costs no
 * native resource.
 */
public final class ModelPreparation {
  private ModelPreparation() {}

  /** The prepared model, or a {@link ModelNotSupportedException} that says what does not fit. */
  public static PreparedModel prepare(ModelBundle bundle, CutOptions choice, int[] inputShape) {
    OnnxGraph graph = new OnnxGraph(parse(bundle), bundle.externalData());
    ValueInfoProto input = imageInput(graph, inputShape);
    Cut found = new CutFinder(graph).find(choice.node(), choice.blockFromEnd());
    Cut cut = choice.features() == FeatureSource.BLOCK_OUTPUT ? found.atBlockInput() : found;
    Optional<String> blockInput =
        choice.residual().needsBlockInput() ? Optional.of(cut.blockInput()) : Optional.empty();
    List<String> extra = new ArrayList<>(List.of(cut.features()));
    blockInput.ifPresent(extra::add);
    ModelProto featureModel = FeatureModelBuilder.withExtraOutputs(graph.model(), extra);
    return new PreparedModel(
        bundle.name(),
        bundle.sha256(),
        bundle.externalData(),
        graph,
        input,
        fixedBatch(input),
        cut,
        choice.residual(),
        blockInput,
        featureModel);
  }

  private static ModelProto parse(ModelBundle bundle) {
    try {
      ModelProto m = ModelProto.parseFrom(bundle.onnx());
      if (!m.hasGraph() || m.getGraph().getNodeCount() == 0 || m.getGraph().getOutputCount() == 0) {
        throw new ModelNotSupportedException(bundle.source() + " is not an ONNX model (no graph)");
      }
      return m;
    } catch (InvalidProtocolBufferException e) {
      throw new ModelNotSupportedException(
          bundle.source() + " is not an ONNX model: " + e.getMessage(), e);
    }
  }

  /** The model's one image input: NCHW, whose fixed sizes must agree with the preprocessing. */
  private static ValueInfoProto imageInput(OnnxGraph graph, int[] shape) {
    List<ValueInfoProto> inputs = graph.realInputs();
    if (inputs.size() != 1) {
      throw new ModelNotSupportedException(
          "the model has "
              + inputs.size()
              + " inputs; an image classifier with one NCHW image input is expected");
    }
    ValueInfoProto in = inputs.get(0);
    int type = in.getType().getTensorType().getElemType();
    if (type != TensorProto.DataType.FLOAT_VALUE) {
      TensorProto.DataType t = TensorProto.DataType.forNumber(type);
      throw new ModelNotSupportedException(
          "the model input '"
              + in.getName()
              + "' is "
              + (t == null ? "of type " + type : t.name().toLowerCase(Locale.ROOT))
              + "; only float32 models are served: export it in float32 (call model.float() before"
              + " torch.onnx.export)");
    }
    List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
    if (!dims.isEmpty() && dims.size() != 4) {
      throw new ModelNotSupportedException(
          "the model input '"
              + in.getName()
              + "' has "
              + dims.size()
              + " dimensions; an NCHW image tensor is expected");
    }
    for (int i = 1; i < dims.size(); i++) {
      if (dims.get(i).hasDimValue() && dims.get(i).getDimValue() != shape[i - 1]) {
        throw new ModelNotSupportedException(
            "the model expects input "
                + describe(dims)
                + " but preprocessing gives "
                + shape[0]
                + "x"
                + shape[1]
                + "x"
                + shape[2]
                + "; set --size and --channels to match");
      }
    }
    return in;
  }

  private static boolean fixedBatch(ValueInfoProto in) {
    List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
    return !dims.isEmpty() && dims.get(0).hasDimValue();
  }

  private static String describe(List<TensorShapeProto.Dimension> dims) {
    return dims.stream()
        .map(d -> d.hasDimValue() ? String.valueOf(d.getDimValue()) : "?")
        .reduce((a, b) -> a + "x" + b)
        .orElse("?");
  }
}
