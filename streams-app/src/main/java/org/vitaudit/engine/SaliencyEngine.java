package org.vitaudit.engine;

import ai.onnxruntime.OrtException;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.model.ModelBundle;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.TokenLayout;
import org.vitaudit.model.graph.Cut;
import org.vitaudit.model.graph.CutFinder;
import org.vitaudit.model.graph.FeatureModelBuilder;
import org.vitaudit.model.graph.OnnxGraph;
import org.vitaudit.model.graph.PatchGridFinder;
import org.vitaudit.model.graph.GenericHModelBuilder;
import org.vitaudit.model.proto.Onnx.ModelProto;
import org.vitaudit.model.proto.Onnx.TensorProto;
import org.vitaudit.model.proto.Onnx.TensorShapeProto;
import org.vitaudit.model.proto.Onnx.ValueInfoProto;

/**
 * ViT-ReciproCAM on ONNX Runtime: G gives the prediction and F in one run; H scores the N masked
 * copies of F; each class's map is the min-max of its scores over the copies.
 *
 * <p>Safe to share between threads: ONNX Runtime sessions may run concurrently, and H sessions are
 * built once per mask set.
 */
public final class SaliencyEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SaliencyEngine.class);

  private final OnnxGraph graph;
  private final Cut cut;
  private final SessionFactory sessions;
  private final FeatureExtractor g;
  private final ModelFacts facts;
  private final EngineOptions options;
  private final ModelProto featureModel;
  private final Map<MaskSpec, HRunner> hRunners = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private FastHBuilder fastHBuilder;
  private AttentionMapReader attentionMaps;

  private SaliencyEngine(OnnxGraph graph, Cut cut, SessionFactory sessions, FeatureExtractor g,
      ModelFacts facts, EngineOptions options, ModelProto featureModel) {
    this.graph = graph;
    this.cut = cut;
    this.sessions = sessions;
    this.g = g;
    this.facts = facts;
    this.options = options;
    this.featureModel = featureModel;
  }

  public static SaliencyEngine open(ModelBundle bundle, EngineOptions options) {
    OnnxGraph graph = new OnnxGraph(parse(bundle), bundle.externalData());
    ValueInfoProto input = imageInput(graph, options.inputShape());
    CutOptions choice = options.cut();
    Cut found = new CutFinder(graph).find(choice.node(), choice.blockFromEnd());
    Cut cut = choice.features() == FeatureSource.BLOCK_OUTPUT ? found.atBlockInput() : found;
    Optional<String> blockInput = choice.residual().needsBlockInput() ? Optional.of(cut.blockInput()) : Optional.empty();
    List<String> extra = new ArrayList<>(List.of(cut.features()));
    blockInput.ifPresent(extra::add);
    ModelProto featureModel = FeatureModelBuilder.withExtraOutputs(graph.model(), extra);
    SessionFactory sessions = new SessionFactory(options.device(), options.intraOpThreads(), bundle.externalData());
    try {
      return open(bundle, options, graph, input, cut, featureModel, blockInput, sessions);
    } catch (RuntimeException | Error e) {
      sessions.close(); // whatever failed half-way, no session outlives the engine that was not made
      throw e;
    }
  }

  private static SaliencyEngine open(ModelBundle bundle, EngineOptions options, OnnxGraph graph, ValueInfoProto input,
      Cut cut, ModelProto featureModel, Optional<String> blockInput, SessionFactory sessions) {
    CutOptions choice = options.cut();
    int[] shape = options.inputShape();
    FeatureExtractor g = new FeatureExtractor(sessions, sessions.create(featureModel.toByteArray()),
        input.getName(), graph.model().getGraph().getOutput(0).getName(), cut.features(), blockInput,
        new long[] {shape[0], shape[1], shape[2]}, fixedBatch(input));
    // One run on a blank image tells T, D and C, whatever the exporter wrote about shapes.
    int classes = g.run(List.of(new float[shape[0] * shape[1] * shape[2]])).get(0).logits().length;
    TokenLayout layout = options.grid()
        .map(hw -> new TokenLayout(g.tokens() - hw[0] * hw[1], hw[0], hw[1]))
        .orElseGet(() -> PatchGridFinder.find(graph, cut, shape[1], shape[2], g.tokens()));
    List<String> labels = labels(options.labels(), classes);
    ModelFacts facts = new ModelFacts(bundle.name(), bundle.sha256(), cut.nodeName(), choice.residual(), layout,
        g.dim(), classes, labels, sessions.provider());
    LOG.info("model {}: cut at '{}'{}, {} tokens ({} prefix + {}x{} grid), dim {}, {} classes, on {}",
        bundle.name(), cut.nodeName(), cut.lastBlock() ? "" : " (not the last block)", layout.tokens(),
        layout.prefix(), layout.gridHeight(), layout.gridWidth(), g.dim(), classes, sessions.provider());
    return new SaliencyEngine(graph, cut, sessions, g, facts, options, featureModel);
  }

  public ModelFacts facts() {
    return facts;
  }

  /** G as written by {@code split}: the model plus F as an extra output. */
  public ModelProto featureModel() {
    return featureModel;
  }

  /** The generic H for one mask set, as written by {@code split}. */
  public ModelProto genericHModel(MaskSpec masks) {
    TokenLayout layout = facts.layout();
    return GenericHModelBuilder.build(graph, cut, options.cut().residual(), masks.weights(layout), layout.cells(),
        layout.tokens());
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
      CopyScores scores = CopyScores.fromLogits(h.logits(out.features(), out.blockInput()), facts.layout().cells(),
          request.score());
      double hMillis = (System.nanoTime() - h0) / 1e6;
      result.add(explanation(out.logits(), scores, request, gMillis, hMillis));
    }
    return result;
  }

  private Explanation explanation(float[] logits, CopyScores scores, ExplainRequest request,
      double gMillis, double hMillis) {
    double[] probabilities = Softmax.of(logits);
    List<Integer> ranked = IntStream.range(0, probabilities.length).boxed()
        .sorted(Comparator.comparingDouble((Integer c) -> -probabilities[c]))
        .toList();
    List<RankedClass> predictions = ranked.stream()
        .limit(Math.max(1, request.topK()))
        .map(c -> new RankedClass(c, facts.label(c), probabilities[c]))
        .toList();
    Set<Integer> mapped = new LinkedHashSet<>(ranked.subList(0, Math.min(request.topK(), ranked.size())));
    mapped.addAll(request.classes());
    List<ClassSaliency> maps = mapped.stream().map(c -> scores.mapFor(c, facts.layout())).toList();
    return new Explanation(logits, probabilities, predictions, maps, scores, gMillis, hMillis);
  }

  /** The model's own class probabilities for one image (G only, no H). */
  public double[] probabilities(float[] input) {
    ensureOpen();
    return Softmax.of(g.run(List.of(input)).get(0).logits());
  }

  /**
   * Every attention softmax of the model on one image, averaged over heads: one [T, T] row-major
   * matrix per block, in block order. For attention rollout.
   */
  public List<float[]> attentionMaps(float[] input) {
    ensureOpen();
    return attentionReader().read(input);
  }

  private synchronized AttentionMapReader attentionReader() {
    if (attentionMaps == null) {
      int[] shape = options.inputShape();
      attentionMaps = new AttentionMapReader(sessions, graph, new long[] {shape[0], shape[1], shape[2]},
          facts.layout().tokens());
    }
    return attentionMaps;
  }

  /** F of one image, [T, D] row-major: for oracles and evaluation variants that start from it. */
  float[] features(float[] input) {
    ensureOpen();
    return g.run(List.of(input)).get(0).features();
  }

  /** X, the cut block's input, of one image, [T, D] row-major (only where the residual choice reads it). */
  float[] blockInput(float[] input) {
    ensureOpen();
    return g.run(List.of(input)).get(0).blockInput();
  }

  private void checkClass(int c) {
    if (c < 0 || c >= facts.classes()) {
      throw new IllegalArgumentException("class " + c + " is out of range: the model has "
          + facts.classes() + " classes (0.." + (facts.classes() - 1) + ")");
    }
  }

  /** The H in use for a mask set, built on first use. */
  HRunner h(MaskSpec masks) {
    ensureOpen();
    return hRunners.computeIfAbsent(masks, this::buildH);
  }

  /**
   * The fast H where the block fits its pattern and it agrees with the generic H on a probe image,
   * else the generic H (with one log line saying why); {@code --h-mode} can force either.
   */
  private HRunner buildH(MaskSpec masks) {
    HRunner generic = genericSession(genericHModel(masks));
    if (options.hMode() == HMode.GENERIC) {
      return generic;
    }
    try {
      HRunner fast = fastH(masks, generic);
      closeQuietly(generic);
      return fast;
    } catch (ModelNotSupportedException e) {
      if (options.hMode() == HMode.FAST) {
        closeQuietly(generic);
        throw new ModelNotSupportedException("the fast H cannot serve this model: " + e.getMessage()
            + "; use --h-mode generic or auto");
      }
      LOG.info("using the generic H for {}: {}", masks.variantName(), e.getMessage());
      return generic;
    }
  }

  /** The fast H, checked against the generic one; throws with the reason where it cannot serve. */
  private HRunner fastH(MaskSpec masks, HRunner generic) {
    if (!cut.afterNorm()) {
      throw new ModelNotSupportedException("the masks scale the block's input, so H must run the whole block");
    }
    if (!cut.lastBlock()) {
      throw new ModelNotSupportedException("the cut is not at the last block, so H must run the blocks after it");
    }
    if (options.cut().residual().needsBlockInput()) {
      throw new ModelNotSupportedException("the fast H covers the default residual (masked features) only");
    }
    return fastHBuilder().build(masks, generic);
  }

  /**
   * What {@code check-model} reports: for each H, empty where it can serve the mask set, else why
   * not. Keeps none of the sessions it builds.
   */
  Map<HKind, Optional<String>> hRefusals(MaskSpec masks) {
    Map<HKind, Optional<String>> out = new java.util.EnumMap<>(HKind.class);
    HRunner generic;
    try {
      generic = genericSession(genericHModel(masks));
    } catch (RuntimeException e) {
      out.put(HKind.GENERIC, Optional.of(e.getMessage()));
      out.put(HKind.FAST, Optional.of("the generic H it is checked against cannot be built"));
      return out;
    }
    out.put(HKind.GENERIC, Optional.empty());
    try {
      closeQuietly(fastH(masks, generic));
      out.put(HKind.FAST, Optional.empty());
    } catch (RuntimeException e) {
      out.put(HKind.FAST, Optional.of(e.getMessage()));
    } finally {
      closeQuietly(generic);
    }
    return out;
  }

  /** Which rows of the last block's output reach the logits, one flag per token. */
  boolean[] headRows() {
    return HeadProbe.rowsRead(sessions, graph, cut, facts.layout().tokens(), facts.dim());
  }

  OnnxGraph graph() {
    return graph;
  }

  private synchronized FastHBuilder fastHBuilder() {
    if (fastHBuilder == null) {
      fastHBuilder = new FastHBuilder(sessions, graph, cut, facts.layout(), facts.dim(), options.maxHBatch(),
          () -> features(probeImage()));
    }
    return fastHBuilder;
  }

  /** A random image, the same every time: the fast H must give the generic H's scores on its features. */
  private float[] probeImage() {
    int[] shape = options.inputShape();
    java.util.Random random = new java.util.Random(20261126L);
    float[] image = new float[shape[0] * shape[1] * shape[2]];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) random.nextGaussian();
    }
    return image;
  }

  /** The generic H runs at most {@code --max-h-batch} copies at once: it holds N x T tokens. */
  private HRunner genericSession(ModelProto h) {
    TokenLayout layout = facts.layout();
    return new HSession(sessions, sessions.create(h.toByteArray()), h.getGraph().getOutput(0).getName(),
        layout.cells(), options.maxHBatch(), layout.tokens(), HKind.GENERIC);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.debug("closing a session", e);
    }
  }

  /** Which H serves a mask set ({@code fast} or {@code generic}), building it if needed. */
  public HKind hKind(MaskSpec masks) {
    return h(masks).kind();
  }

  private static ModelProto parse(ModelBundle bundle) {
    try {
      ModelProto m = ModelProto.parseFrom(bundle.onnx());
      if (!m.hasGraph() || m.getGraph().getNodeCount() == 0 || m.getGraph().getOutputCount() == 0) {
        throw new ModelNotSupportedException(bundle.source() + " is not an ONNX model (no graph)");
      }
      return m;
    } catch (InvalidProtocolBufferException e) {
      throw new ModelNotSupportedException(bundle.source() + " is not an ONNX model: " + e.getMessage(), e);
    }
  }

  /** The model's one image input: NCHW, whose fixed sizes must agree with the preprocessing. */
  private static ValueInfoProto imageInput(OnnxGraph graph, int[] shape) {
    List<ValueInfoProto> inputs = graph.realInputs();
    if (inputs.size() != 1) {
      throw new ModelNotSupportedException("the model has " + inputs.size()
          + " inputs; an image classifier with one NCHW image input is expected");
    }
    ValueInfoProto in = inputs.get(0);
    int type = in.getType().getTensorType().getElemType();
    if (type != TensorProto.DataType.FLOAT_VALUE) {
      TensorProto.DataType t = TensorProto.DataType.forNumber(type);
      throw new ModelNotSupportedException("the model input '" + in.getName() + "' is "
          + (t == null ? "of type " + type : t.name().toLowerCase(java.util.Locale.ROOT))
          + "; only float32 models are served: export it in float32 (call model.float() before torch.onnx.export)");
    }
    List<TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
    if (!dims.isEmpty() && dims.size() != 4) {
      throw new ModelNotSupportedException("the model input '" + in.getName() + "' has " + dims.size()
          + " dimensions; an NCHW image tensor is expected");
    }
    for (int i = 1; i < dims.size(); i++) {
      if (dims.get(i).hasDimValue() && dims.get(i).getDimValue() != shape[i - 1]) {
        throw new ModelNotSupportedException("the model expects input " + describe(dims)
            + " but preprocessing gives " + shape[0] + "x" + shape[1] + "x" + shape[2]
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
    return dims.stream().map(d -> d.hasDimValue() ? String.valueOf(d.getDimValue()) : "?")
        .reduce((a, b) -> a + "x" + b).orElse("?");
  }

  private static List<String> labels(List<String> given, int classes) {
    if (given.isEmpty()) {
      return IntStream.range(0, classes).mapToObj(String::valueOf).toList();
    }
    if (given.size() != classes) {
      LOG.warn("{} labels given for a model with {} classes; class numbers stand in for the missing ones",
          given.size(), classes);
    }
    return IntStream.range(0, classes)
        .mapToObj(c -> c < given.size() ? given.get(c) : String.valueOf(c))
        .toList();
  }

  /**
   * Closes every ONNX Runtime session the engine opened (G, each H, the attention reader), each
   * whatever happens to the others; a second call does nothing.
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
