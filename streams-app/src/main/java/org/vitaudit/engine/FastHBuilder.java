package org.vitaudit.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.TokenLayout;
import org.vitaudit.model.graph.AttentionSite;
import org.vitaudit.model.graph.AttentionWeights;
import org.vitaudit.model.graph.FastHModelBuilder.Form;
import org.vitaudit.model.proto.Onnx.ModelProto;

/**
 * Opens the fast exact H for a mask set: the first {@link Form} whose graph (built by the {@link
 * PreparedModel}) fits the model and agrees with the generic H on a probe image. Prefix rows come
 * first (cheapest, exact where the head reads only prefix tokens), distinct rows second (exact for
 * any head); a head that pools tokens shows itself by failing the prefix-rows check.
 */
final class FastHBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(FastHBuilder.class);
  private final SessionFactory sessions;
  private final PreparedModel model;
  private final TokenLayout layout;
  private final int dim;
  private final int maxHBatch;
  private final Supplier<FeatureExtractor.Output> probeFeatures;
  private AttentionSite site;
  private AttentionWeights attention;
  private FeatureExtractor.Output probe;

  /**
   * @param probeFeatures G's outputs for a probe image (F, and X where the residual reads it), on
   *     which each fast H must give the generic H's logits
   */
  FastHBuilder(
      SessionFactory sessions,
      PreparedModel model,
      TokenLayout layout,
      int dim,
      int maxHBatch,
      Supplier<FeatureExtractor.Output> probeFeatures) {
    this.sessions = sessions;
    this.model = model;
    this.layout = layout;
    this.dim = dim;
    this.maxHBatch = maxHBatch;
    this.probeFeatures = probeFeatures;
  }

  /** The fast H agreeing with {@code generic}; throws with every form's reason where none does. */
  HRunner build(MaskSpec masks, HRunner generic) {
    locate();
    List<String> reasons = new ArrayList<>();
    for (Form form : Form.values()) {
      HRunner fast = null;
      try {
        ModelProto h = model.fastH(form, masks, layout, site, attention);
        fast = session(h, form);
        checkAgreement(fast, generic);
        LOG.info(
            "using the fast H ({}) for {}{}",
            form.description(),
            masks.variantName(),
            reasons.isEmpty() ? "" : " after " + String.join("; ", reasons));
        return fast;
      } catch (ModelNotSupportedException | EngineException e) {
        // EngineException: ONNX Runtime refused the graph or failed running it (a head that the
        // form does not fit may do either); the next form may still fit.
        close(fast);
        reasons.add(form.description() + ": " + e.getMessage());
      }
    }
    throw new ModelNotSupportedException(String.join("; ", reasons));
  }

  /** The attention site and its weights, read once for every mask set. */
  private synchronized void locate() {
    if (attention == null) {
      site = model.attentionSite();
      attention =
          new AttentionProbe(sessions).read(model.graph(), model.cut(), site, layout.tokens(), dim);
    }
  }

  /**
   * Prefix rows hold only N x heads x P x T attention weights, so all copies run at once; distinct
   * rows spread back to N x T tokens before the head, so they run in the generic H's chunks.
   */
  private HRunner session(ModelProto h, Form form) {
    int chunk = form == Form.PREFIX_ROWS ? layout.cells() : maxHBatch;
    return new HSession(
        sessions,
        sessions.create(h.toByteArray()),
        h.getGraph().getOutput(0).getName(),
        layout.cells(),
        chunk,
        layout.tokens(),
        HKind.FAST);
  }

  private synchronized FeatureExtractor.Output probe() {
    if (probe == null) {
      probe = probeFeatures.get();
    }
    return probe;
  }

  /** Both H on the probe features: the fast one is only used where they agree. */
  private void checkAgreement(HRunner fast, HRunner generic) {
    FeatureExtractor.Output g = probe();
    float[] a = fast.logits(g.features(), g.blockInput());
    float[] b = generic.logits(g.features(), g.blockInput());
    if (a.length != b.length) {
      throw new ModelNotSupportedException(
          "the fast H gives " + a.length + " scores where the generic H gives " + b.length);
    }
    double worst = 0;
    double scale = 1;
    for (int i = 0; i < b.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    if (!(worst <= 1e-3 * scale)) {
      throw new ModelNotSupportedException(
          String.format(
              Locale.ROOT,
              "the fast H differs from the generic H by %.3g on a probe image",
              worst));
    }
  }

  private static void close(HRunner h) {
    try {
      if (h != null) {
        h.close();
      }
    } catch (Exception e) {
      // a session that failed its check: nothing to keep
    }
  }
}
