package org.vitaudit.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vitaudit.model.ModelBundle;

/**
 * One ONNX Runtime session on a graph whose one input is the image: for what is read beside the
 * method, such as bench's plain model or rollout's attention maps. It closes through the factory
 * that created it, so a session an engine lent closes with the engine; use after close fails.
 */
public final class ImageSession implements AutoCloseable {
  /** One float output for one image: its name, its shape (batch first) and its values. */
  public record Output(String name, long[] shape, float[] values) {}

  private final SessionFactory sessions;
  private final OrtSession session;
  private final String input;
  private final List<String> outputNames;
  private final long[] shape;
  private final String name;
  private final Runnable ensureOwnerOpen;
  private final boolean ownsFactory;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Each thread's input in native memory, reused run after run: ONNX Runtime reads a direct buffer
   * in place, where a heap array would cost a fresh native copy (allocated and zeroed) per run.
   */
  private final ThreadLocal<FloatBuffer> inputBuffer;

  ImageSession(
      SessionFactory sessions,
      OrtSession session,
      String input,
      int[] inputShape,
      String name,
      Runnable ensureOwnerOpen) {
    this(sessions, session, input, inputShape, name, ensureOwnerOpen, false);
  }

  private ImageSession(
      SessionFactory sessions,
      OrtSession session,
      String input,
      int[] inputShape,
      String name,
      Runnable ensureOwnerOpen,
      boolean ownsFactory) {
    this.sessions = sessions;
    this.session = session;
    this.input = input;
    this.outputNames = List.copyOf(session.getOutputNames());
    this.shape = new long[] {1, inputShape[0], inputShape[1], inputShape[2]};
    int values = inputShape[0] * inputShape[1] * inputShape[2];
    this.inputBuffer = ThreadLocal.withInitial(() -> directFloats(values));
    this.name = name;
    this.ensureOwnerOpen = ensureOwnerOpen;
    this.ownsFactory = ownsFactory;
  }

  /** The model with the sessions' options an engine with {@code options} gets, as below. */
  public static ImageSession of(ModelBundle model, EngineOptions options, String name) {
    return onFactoryOfItsOwn(
        model, options.inputShape(), SessionFactory.of(options, model.externalData()), name);
  }

  /**
   * The model on its own, on a factory of its own (closing the session closes that too), its
   * threads not spinning (the application's default).
   */
  public static ImageSession of(
      ModelBundle model, int[] inputShape, Device device, int intraOpThreads, String name) {
    return onFactoryOfItsOwn(
        model,
        inputShape,
        new SessionFactory(device, intraOpThreads, false, model.externalData()),
        name);
  }

  private static ImageSession onFactoryOfItsOwn(
      ModelBundle model, int[] inputShape, SessionFactory sessions, String name) {
    OrtSession session = sessions.create(model.onnx());
    return new ImageSession(
        sessions,
        session,
        session.getInputNames().iterator().next(),
        inputShape,
        name,
        () -> {},
        true);
  }

  /**
   * {@code count} floats in native memory, in the platform's byte order: what ONNX Runtime reads in
   * place.
   */
  static FloatBuffer directFloats(int count) {
    return ByteBuffer.allocateDirect(count * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  /** The options the session was created with. */
  public SessionSettings settings() {
    return sessions.settings();
  }

  /** The graph's outputs, in its own order. */
  public List<String> outputNames() {
    return outputNames;
  }

  /** Runs one image and returns the named outputs, in the order ONNX Runtime gives them. */
  public List<Output> run(float[] image, List<String> outputs) {
    return run(image, outputs, StageClock.OFF);
  }

  /**
   * As {@link #run(float[], List)}, lapping {@code clock} at each stage: {@code tensor} (the input
   * tensor made from the array), {@code run} (ONNX Runtime's own run), {@code read} (the outputs
   * copied out and the native memory released).
   */
  public List<Output> run(float[] image, List<String> outputs, StageClock clock) {
    ensureOwnerOpen.run();
    if (closed.get()) {
      throw new IllegalStateException(name + " is closed");
    }
    FloatBuffer buffer = inputBuffer.get();
    if (image.length != buffer.capacity()) {
      throw new EngineException(
          name
              + ": an input tensor has "
              + image.length
              + " values, the model expects "
              + buffer.capacity()
              + " ("
              + shape[1]
              + "x"
              + shape[2]
              + "x"
              + shape[3]
              + ")");
    }
    buffer.clear();
    buffer.put(image).flip();
    List<Output> out = new ArrayList<>();
    try {
      OnnxTensor in = OnnxTensor.createTensor(sessions.env(), buffer, shape);
      clock.lap("tensor");
      try (in;
          OrtSession.Result r = session.run(Map.of(input, in), new LinkedHashSet<>(outputs))) {
        clock.lap("run");
        for (Map.Entry<String, OnnxValue> e : r) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          FloatBuffer b = t.getFloatBuffer();
          float[] values = new float[b.remaining()];
          b.get(values);
          out.add(new Output(e.getKey(), t.getInfo().getShape(), values));
        }
      }
    } catch (OrtException e) {
      throw new EngineException(name + " failed: " + e.getMessage(), e);
    }
    clock.lap("read");
    return out;
  }

  /**
   * Closes the session (and the factory where it has one of its own); a second call does nothing.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      sessions.close(session);
      if (ownsFactory) {
        sessions.close();
      }
    }
  }
}
