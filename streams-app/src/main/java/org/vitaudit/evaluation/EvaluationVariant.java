package org.vitaudit.evaluation;

import org.vitaudit.choice.Choice;
import org.vitaudit.engine.EngineOptions;
import org.vitaudit.engine.FeatureSource;
import org.vitaudit.engine.MaskKernel;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.model.graph.ResidualSource;

/** The methods {@code evaluate} compares: ViT-ReciproCAM's variants and two baselines. */
public enum EvaluationVariant implements Choice {
  GAUSSIAN,
  DIRAC,
  GAUSSIAN_NOPREFIX,
  DIRAC_NOPREFIX,
  /** The 3x3 Gaussian masks on the cut block's input: the whole block runs on the masked copies. */
  GAUSSIAN_BLOCK,
  /** Attention rollout (Abnar and Zuidema), the attention-based baseline. */
  ROLLOUT,
  /** A map of random values, the floor any method must beat. */
  RANDOM;

  /** Seed of the random baseline, so that two runs compare the same maps. */
  private static final long RANDOM_SEED = 1234;

  /** True where the method needs an engine cut at the block input ({@link #blockInputOptions}). */
  public boolean needsBlockInputEngine() {
    return this == GAUSSIAN_BLOCK;
  }

  /**
   * The method on {@code engine}, or on {@code blockInputEngine} (opened with {@link
   * #blockInputOptions}) where it needs that one.
   */
  public SaliencyMethod method(SaliencyEngine engine, SaliencyEngine blockInputEngine) {
    String name = cliName();
    return switch (this) {
      case GAUSSIAN -> new ReciproCamMethod(name, engine, MaskSpec.DEFAULT);
      case DIRAC -> new ReciproCamMethod(name, engine, new MaskSpec(MaskKernel.DIRAC, true));
      case GAUSSIAN_NOPREFIX ->
          new ReciproCamMethod(name, engine, new MaskSpec(MaskKernel.GAUSSIAN, false));
      case DIRAC_NOPREFIX ->
          new ReciproCamMethod(name, engine, new MaskSpec(MaskKernel.DIRAC, false));
      case GAUSSIAN_BLOCK -> new ReciproCamMethod(name, blockInputEngine, MaskSpec.DEFAULT);
      case ROLLOUT -> new RolloutMethod(engine);
      case RANDOM -> new RandomMapMethod(engine, RANDOM_SEED);
    };
  }

  /**
   * The masks scale the block input, so no residual reading applies: the block's own residual runs.
   */
  public static EngineOptions blockInputOptions(EngineOptions options) {
    return options.withCut(
        options
            .cut()
            .withResidual(ResidualSource.MASKED_FEATURES)
            .withFeatures(FeatureSource.BLOCK_OUTPUT));
  }
}
