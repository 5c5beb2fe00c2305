package org.vitaudit.engine;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.TokenLayout;
import org.vitaudit.model.proto.Onnx.ModelProto;

/**
 * Opens the H for a mask set: the fast H where the cut fits it and it agrees with the generic H on
 * a probe image, else the generic H (with one log line saying why); {@code --h-mode} can force
 * either. The graphs come from the {@link PreparedModel}; the sessions from the engine's factory,
 * and a session that is not kept is closed before this returns.
 */
final class HChooser {
  private static final Logger LOG = LoggerFactory.getLogger(HChooser.class);
  private final SessionFactory sessions;
  private final PreparedModel model;
  private final TokenLayout layout;
  private final EngineOptions options;
  private final FastHBuilder fast;

  /**
   * @param g G's outputs for an image (F, and X where the residual reads it), for the probe image
   */
  HChooser(
      SessionFactory sessions,
      PreparedModel model,
      ModelFacts facts,
      EngineOptions options,
      Function<float[], FeatureExtractor.Output> g) {
    this.sessions = sessions;
    this.model = model;
    this.layout = facts.layout();
    this.options = options;
    this.fast =
        new FastHBuilder(
            sessions,
            model,
            layout,
            facts.dim(),
            options.maxHBatch(),
            () -> g.apply(probeImage(options.inputShape())));
  }

  HRunner open(MaskSpec masks) {
    HRunner generic = generic(masks);
    if (options.hMode() == HMode.GENERIC) {
      return generic;
    }
    try {
      HRunner chosen = fast(masks, generic);
      closeQuietly(generic);
      return chosen;
    } catch (ModelNotSupportedException e) {
      if (options.hMode() == HMode.FAST) {
        closeQuietly(generic);
        throw new ModelNotSupportedException(
            "the fast H cannot serve this model: "
                + e.getMessage()
                + "; use --h-mode generic or auto");
      }
      LOG.info("using the generic H for {}: {}", masks.variantName(), e.getMessage());
      return generic;
    } catch (RuntimeException | Error e) {
      closeQuietly(generic);
      throw e;
    }
  }

  /**
   * What {@code check-model} reports: for each H, empty where it can serve the mask set, else why
   * not. Keeps none of the sessions it opens.
   */
  Map<HKind, Optional<String>> refusals(MaskSpec masks) {
    Map<HKind, Optional<String>> out = new EnumMap<>(HKind.class);
    HRunner generic;
    try {
      generic = generic(masks);
    } catch (RuntimeException e) {
      out.put(HKind.GENERIC, Optional.of(e.getMessage()));
      out.put(HKind.FAST, Optional.of("the generic H it is checked against cannot be built"));
      return out;
    }
    out.put(HKind.GENERIC, Optional.empty());
    try {
      closeQuietly(fast(masks, generic));
      out.put(HKind.FAST, Optional.empty());
    } catch (RuntimeException e) {
      out.put(HKind.FAST, Optional.of(e.getMessage()));
    } finally {
      closeQuietly(generic);
    }
    return out;
  }

  /** The fast H, checked against the generic one; throws with the reason where it cannot serve. */
  private HRunner fast(MaskSpec masks, HRunner generic) {
    Optional<String> refusal = model.fastHRefusal();
    if (refusal.isPresent()) {
      throw new ModelNotSupportedException(refusal.get());
    }
    return fast.build(masks, generic);
  }

  /** The generic H runs at most {@code --max-h-batch} copies at once: it holds N x T tokens. */
  private HRunner generic(MaskSpec masks) {
    ModelProto h = model.genericH(masks, layout);
    return new HSession(
        sessions,
        sessions.create(h.toByteArray()),
        h.getGraph().getOutput(0).getName(),
        layout.cells(),
        options.maxHBatch(),
        layout.tokens(),
        HKind.GENERIC);
  }

  /**
   * A random image, the same every time: the fast H must give the generic H's scores on its
   * features.
   */
  private static float[] probeImage(int[] shape) {
    Random random = new Random(20261126L);
    float[] image = new float[shape[0] * shape[1] * shape[2]];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) random.nextGaussian();
    }
    return image;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("closing a session", e);
    }
  }
}
