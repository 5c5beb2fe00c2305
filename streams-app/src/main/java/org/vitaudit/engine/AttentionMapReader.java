package org.vitaudit.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vitaudit.model.graph.FeatureModelBuilder;
import org.vitaudit.model.graph.OnnxGraph;
import org.vitaudit.model.proto.Onnx.NodeProto;

/**
 * Runs the model with every Softmax output exposed and keeps the token-to-token ones (the
 * attention weights of each block), averaged over heads.
 */
final class AttentionMapReader implements AutoCloseable {
  private final SessionFactory sessions;
  private final OrtSession session;
  private final String input;
  private final long[] imageShape;
  private final int tokens;
  private final List<String> softmaxes;

  AttentionMapReader(SessionFactory sessions, OnnxGraph graph, long[] imageShape, int tokens) {
    this.sessions = sessions;
    this.imageShape = imageShape;
    this.tokens = tokens;
    this.softmaxes = graph.nodes().stream().filter(n -> n.getOpType().equals("Softmax"))
        .map(n -> n.getOutput(0)).toList();
    this.input = graph.realInputs().get(0).getName();
    this.session = sessions.create(FeatureModelBuilder.withExtraOutputs(graph.model(), softmaxes).toByteArray());
  }

  List<float[]> read(float[] image) {
    long[] shape = {1, imageShape[0], imageShape[1], imageShape[2]};
    try (OnnxTensor in = OnnxTensor.createTensor(sessions.env(), FloatBuffer.wrap(image), shape);
        OrtSession.Result r = session.run(Map.of(input, in), new java.util.LinkedHashSet<>(softmaxes))) {
      List<float[]> maps = new ArrayList<>();
      for (Map.Entry<String, OnnxValue> e : r) {
        OnnxTensor t = (OnnxTensor) e.getValue();
        long[] s = t.getInfo().getShape();
        if (s.length >= 2 && s[s.length - 1] == tokens && s[s.length - 2] == tokens) {
          maps.add(meanOverLeading(t.getFloatBuffer()));
        }
      }
      return maps;
    } catch (OrtException e) {
      throw new EngineException("reading attention maps failed: " + e.getMessage(), e);
    }
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

  @Override
  public void close() {
    sessions.close(session);
  }
}
