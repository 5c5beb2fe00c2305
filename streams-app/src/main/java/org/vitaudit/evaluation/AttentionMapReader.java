package org.vitaudit.evaluation;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.vitaudit.engine.ImageSession;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.model.graph.FeatureModelBuilder;
import org.vitaudit.model.graph.OnnxGraph;

/**
 * Runs the model with every Softmax output exposed and keeps the token-to-token ones (the attention
 * weights of each block), averaged over heads: what attention rollout multiplies. The session is
 * one the engine lends, so it closes with the engine.
 */
final class AttentionMapReader {
  private final ImageSession session;
  private final List<String> softmaxes;
  private final int tokens;

  AttentionMapReader(SaliencyEngine engine) {
    OnnxGraph graph = engine.prepared().graph();
    this.tokens = engine.facts().layout().tokens();
    this.softmaxes =
        graph.nodes().stream()
            .filter(n -> n.getOpType().equals("Softmax"))
            .map(n -> n.getOutput(0))
            .toList();
    this.session =
        engine.openImageSession(
            FeatureModelBuilder.withExtraOutputs(graph.model(), softmaxes), "the attention reader");
  }

  /** One [T, T] row-major matrix per block, in block order. */
  List<float[]> read(float[] image) {
    List<float[]> maps = new ArrayList<>();
    for (ImageSession.Output out : session.run(image, softmaxes)) {
      long[] s = out.shape();
      if (s.length >= 2 && s[s.length - 1] == tokens && s[s.length - 2] == tokens) {
        maps.add(meanOverLeading(FloatBuffer.wrap(out.values())));
      }
    }
    return maps;
  }

  private float[] meanOverLeading(FloatBuffer b) {
    int per = tokens * tokens;
    int count = b.remaining() / per;
    float[] mean = new float[per];
    for (int h = 0; h < count; h++) {
      for (int i = 0; i < per; i++) {
        mean[i] += b.get() / count;
      }
    }
    return mean;
  }
}
