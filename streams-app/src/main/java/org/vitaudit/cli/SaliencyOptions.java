package org.vitaudit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vitaudit.engine.ExplainRequest;
import org.vitaudit.engine.MaskKernel;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.engine.ScoreMode;
import picocli.CommandLine.Option;

/** The ViT-ReciproCAM method options: kernel, prefix tokens, scores, and which classes get maps. */
public final class SaliencyOptions {
  @Option(names = "--top-k", paramLabel = "K", defaultValue = "1",
      description = "Maps for the K most probable classes (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--class", paramLabel = "C",
      description = "Also a map for this class (label or number); repeatable.")
  List<String> classes = new ArrayList<>();

  @Option(names = "--variant", paramLabel = "gaussian|dirac", defaultValue = "gaussian",
      description = "Mask kernel: 3x3 Gaussian or a single token (default: ${DEFAULT-VALUE}).")
  String variant;

  @Option(names = "--no-cls-token", description = "Zero the prefix tokens (CLS, ...) in every masked copy.")
  boolean noClsToken;

  @Option(names = "--score", paramLabel = "softmax|logits", defaultValue = "softmax",
      description = "Scores before min-max (default: ${DEFAULT-VALUE}).")
  String score;

  ExplainRequest request(ModelFacts facts) {
    MaskKernel kernel = switch (variant.toLowerCase(Locale.ROOT)) {
      case "gaussian" -> MaskKernel.GAUSSIAN;
      case "dirac" -> MaskKernel.DIRAC;
      default -> throw new IllegalArgumentException("--variant must be gaussian or dirac, not '" + variant + "'");
    };
    ScoreMode mode = switch (score.toLowerCase(Locale.ROOT)) {
      case "softmax" -> ScoreMode.SOFTMAX;
      case "logits" -> ScoreMode.LOGITS;
      default -> throw new IllegalArgumentException("--score must be softmax or logits, not '" + score + "'");
    };
    List<Integer> wanted = classes.stream().map(facts::classOf).toList();
    return new ExplainRequest(new MaskSpec(kernel, !noClsToken), mode, topK, wanted);
  }
}
