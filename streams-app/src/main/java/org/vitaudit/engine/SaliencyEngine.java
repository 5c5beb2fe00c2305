package org.vitaudit.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.TokenLayout;
import org.vitaudit.model.proto.Onnx.ModelProto;

/**
 * ViT-ReciproCAM on ONNX Runtime: G gives the prediction and F in one run; H scores the N masked
 * copies of F; each class's map is the min-max of its scores over the copies. The graphs come from
 * a {@link PreparedModel}; the engine owns the sessions that run them.
 *
 * <p>Safe to share between threads: ONNX Runtime sessions may run concurrently, and H sessions are
 * built once per mask set.
 */
public final class SaliencyEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SaliencyEngine.class);

  private final PreparedModel model;
  private final EngineOptions options;
  private final SessionFactory sessions;
  private final FeatureExtractor g;
  private final ModelFacts facts;
  private final HChooser hChooser;
  private final Map<MaskSpec, HRunner> hRunners = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private SaliencyEngine(
      PreparedModel model,
      EngineOptions options,
      SessionFactory sessions,
      FeatureExtractor g,
      ModelFacts facts) {
    this.model = model;
    this.options = options;
    this.sessions = sessions;
    this.g = g;
    this.facts = facts;
    this.hChooser = new HChooser(sessions, model, facts, options, this::gOutput);
  }

  /** Prepares the model and opens G on it; each H opens on first use. */
  public static SaliencyEngine open(ModelBundle bundle, EngineOptions options) {
    PreparedModel model = ModelPreparation.prepare(bundle, options.cut(), options.inputShape());
    SessionFactory sessions = SessionFactory.of(options, model.externalData());
    try {
      return open(model, options, sessions);
    } catch (RuntimeException | Error e) {
      sessions
          .close(); // whatever failed half-way, no session outlives the engine that was not made
      throw e;
    }
  }

  private static SaliencyEngine open(
      PreparedModel model, EngineOptions options, SessionFactory sessions) {
    int[] shape = options.inputShape();
    FeatureExtractor g =
        new FeatureExtractor(
            sessions,
            sessions.create(model.featureModel().toByteArray()),
            model.input().getName(),
            model.logits(),
            model.cut().features(),
            model.blockInput(),
            new long[] {shape[0], shape[1], shape[2]},
            model.fixedBatch());
    // One run on a blank image tells T, D and C, whatever the exporter wrote about shapes.
    int classes = g.run(List.of(new float[shape[0] * shape[1] * shape[2]])).get(0).logits().length;
    TokenLayout layout = model.layout(g.tokens(), options.grid(), shape);
    ModelFacts facts =
        new ModelFacts(
            model.name(),
            model.sha256(),
            model.cut().nodeName(),
            model.residual(),
            layout,
            g.dim(),
            classes,
            labels(options.labels(), classes),
            sessions.provider());
    LOG.info(
        "model {}: cut at '{}'{}, {} tokens ({} prefix + {}x{} grid), dim {}, {} classes, on {}",
        model.name(),
        model.cut().nodeName(),
        model.cut().lastBlock() ? "" : " (not the last block)",
        layout.tokens(),
        layout.prefix(),
        layout.gridHeight(),
        layout.gridWidth(),
        g.dim(),
        classes,
        sessions.provider());
    return new SaliencyEngine(model, options, sessions, g, facts);
  }

  public ModelFacts facts() {
    return facts;
  }

  /** The graphs the engine runs: G, and the H of any mask set ({@code split} writes them). */
  public PreparedModel prepared() {
    return model;
  }

  public Explanation explain(float[] input, ExplainRequest request) {
    return explain(List.of(input), request).get(0);
  }

  /** Explains a batch: G runs once on all images, H once per image. */
  public List<Explanation> explain(List<float[]> inputs, ExplainRequest request) {
    ensureOpen();
    for (int c : request.classes()) {
      checkClass(c);
    }
    long start = System.nanoTime();
    List<FeatureExtractor.Output> outputs = g.run(inputs);
    double gMillis = (System.nanoTime() - start) / 1e6 / inputs.size();
    HRunner h = h(request.masks());
    List<Explanation> result = new ArrayList<>(inputs.size());
    for (FeatureExtractor.Output out : outputs) {
      long h0 = System.nanoTime();
      CopyScores scores =
          CopyScores.fromLogits(
              h.logits(out.features(), out.blockInput()), facts.layout().cells(), request.score());
      double hMillis = (System.nanoTime() - h0) / 1e6;
      result.add(Explanation.ranked(out.logits(), scores, request, facts, gMillis, hMillis));
    }
    return result;
  }

  /** The model's own class probabilities for one image (G only, no H). */
  public double[] probabilities(float[] input) {
    ensureOpen();
    return Softmax.of(g.run(List.of(input)).get(0).logits());
  }

  /**
   * A session on a graph derived from the model whose one input is the image (the model with inner
   * tensors exposed, say), on the engine's device, for readings beside the method; the engine
   * closes it with its own sessions.
   *
   * @param name what it runs, for error messages ("the attention reader")
   */
  public ImageSession openImageSession(ModelProto graph, String name) {
    ensureOpen();
    return new ImageSession(
        sessions,
        sessions.create(graph.toByteArray()),
        model.input().getName(),
        options.inputShape(),
        name,
        this::ensureOpen);
  }

  /** F of one image, [T, D] row-major: for oracles and evaluation variants that start from it. */
  float[] features(float[] input) {
    return gOutput(input).features();
  }

  /**
   * X, the cut block's input, of one image, [T, D] row-major (only where the residual choice reads
   * it).
   */
  float[] blockInput(float[] input) {
    return gOutput(input).blockInput();
  }

  /** G's outputs for one image: logits, F, and X where the residual reads it. */
  private FeatureExtractor.Output gOutput(float[] input) {
    ensureOpen();
    return g.run(List.of(input)).get(0);
  }

  private void checkClass(int c) {
    if (c < 0 || c >= facts.classes()) {
      throw new IllegalArgumentException(
          "class "
              + c
              + " is out of range: the model has "
              + facts.classes()
              + " classes (0.."
              + (facts.classes() - 1)
              + ")");
    }
  }

  /** The H in use for a mask set, opened on first use. */
  HRunner h(MaskSpec masks) {
    ensureOpen();
    return hRunners.computeIfAbsent(masks, hChooser::open);
  }

  /** Which H serves a mask set ({@code fast} or {@code generic}), opening it if needed. */
  public HKind hKind(MaskSpec masks) {
    return h(masks).kind();
  }

  /** For {@code check-model}: for each H, empty where it can serve the mask set, else why not. */
  Map<HKind, Optional<String>> hRefusals(MaskSpec masks) {
    ensureOpen();
    return hChooser.refusals(masks);
  }

  /** Which rows of the last block's output reach the logits, one flag per token. */
  boolean[] headRows() {
    ensureOpen();
    return HeadProbe.rowsRead(
        sessions, model.graph(), model.cut(), facts.layout().tokens(), facts.dim());
  }

  private static List<String> labels(List<String> given, int classes) {
    if (given.isEmpty()) {
      return IntStream.range(0, classes).mapToObj(String::valueOf).toList();
    }
    if (given.size() != classes) {
      LOG.warn(
          "{} labels given for a model with {} classes; class numbers stand in for the missing"
              + " ones",
          given.size(),
          classes);
    }
    return IntStream.range(0, classes)
        .mapToObj(c -> c < given.size() ? given.get(c) : String.valueOf(c))
        .toList();
  }

  /**
   * Closes every ONNX Runtime session the engine opened (G, each H, each image session it lent),
   * each whatever happens to the others; a second call does nothing.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      hRunners.clear();
      sessions.close();
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the saliency engine for " + facts.name() + " is closed");
    }
  }
}
