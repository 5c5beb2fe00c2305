package org.vitaudit.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.proto.Onnx.TensorShapeProto;
import org.vitaudit.model.proto.Onnx.ValueInfoProto;

/** Gathers a {@link ModelCheck} from an opened engine: the head's rows, and which H can serve. */
public final class ModelChecker {
  private ModelChecker() {}

  public static ModelCheck check(SaliencyEngine engine, ModelBundle bundle, MaskSpec masks) {
    ModelFacts facts = engine.facts();
    ValueInfoProto in = engine.prepared().input();
    List<String> shape =
        in.getType().getTensorType().getShape().getDimList().stream()
            .map(ModelChecker::describe)
            .toList();
    boolean atLastBlock = engine.prepared().cut().lastBlock();
    boolean[] rows = atLastBlock ? engine.headRows() : null;
    int prefix = facts.layout().prefix();
    Map<HKind, Optional<String>> refusals = engine.hRefusals(masks);
    HKind served = refusals.get(HKind.FAST).isEmpty() ? HKind.FAST : HKind.GENERIC;
    return new ModelCheck(
        facts,
        in.getName(),
        shape,
        atLastBlock ? prefixKinds(rows, prefix) : List.of(),
        atLastBlock ? Optional.of(HeadKind.of(rows, prefix)) : Optional.empty(),
        bundle.externalData().files(),
        refusals,
        served);
  }

  /**
   * The head reads CLS first and a distillation token second; prefix rows it ignores are registers.
   */
  static List<String> prefixKinds(boolean[] rows, int prefix) {
    boolean anyRead = false;
    for (int t = 0; t < prefix; t++) {
      anyRead |= rows[t];
    }
    List<String> kinds = new ArrayList<>();
    int readSoFar = 0;
    for (int t = 0; t < prefix; t++) {
      if (rows[t]) {
        kinds.add(readSoFar++ == 0 ? "cls" : "distillation");
      } else {
        kinds.add(anyRead ? "register" : "unused");
      }
    }
    return kinds;
  }

  private static String describe(TensorShapeProto.Dimension d) {
    return d.hasDimValue()
        ? String.valueOf(d.getDimValue())
        : d.getDimParam().isEmpty() ? "?" : d.getDimParam();
  }
}
