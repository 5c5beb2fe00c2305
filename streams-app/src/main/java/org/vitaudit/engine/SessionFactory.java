package org.vitaudit.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.model.ExternalData;

/**
 * Creates ONNX Runtime sessions on one execution provider, so that G and H always run on the same
 * device. The provider is settled once, at the first session.
 *
 * <p>Every graph is handed over as bytes, which have no folder of their own: where the model keeps
 * its weights in external files, ONNX Runtime is told the model's folder, so the derived graphs
 * find the same files whatever the working directory.
 *
 * <p>It owns every session it creates: they close through it, and {@link #close()} closes what is
 * still open, so an engine that fails half-built leaves no native session behind.
 */
final class SessionFactory implements AutoCloseable {
  /** Sessions open in this JVM, over every factory: what a test reads to prove nothing leaked. */
  private static final AtomicInteger LIVE = new AtomicInteger();

  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  /**
   * ONNX Runtime's session config key for where external data lives when a model comes as bytes.
   */
  private static final String EXTERNAL_DATA_FOLDER =
      "session.model_external_initializers_file_folder_path";

  private static final OrtSession.SessionOptions.OptLevel OPTIMISATION =
      OrtSession.SessionOptions.OptLevel.ALL_OPT;

  /** ONNX Runtime's session config key for whether intra-op threads spin while they wait. */
  private static final String ALLOW_SPINNING = "session.intra_op.allow_spinning";

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Device device;
  private final int intraOpThreads;
  private final boolean intraOpSpinning;
  private final ExternalData externalData;
  private final Set<OrtSession> open = ConcurrentHashMap.newKeySet();
  private boolean useCuda;
  private boolean settled;

  /**
   * @param intraOpSpinning whether intra-op threads busy-wait between operators: it saves a wake-up
   *     per operator on cores of their own, and burns the cores the Kafka clients, the stream
   *     thread and other sessions need where they share them
   */
  SessionFactory(
      Device device, int intraOpThreads, boolean intraOpSpinning, ExternalData externalData) {
    this.device = device;
    this.intraOpThreads = intraOpThreads;
    this.intraOpSpinning = intraOpSpinning;
    this.externalData = externalData;
  }

  /** A factory for sessions with the threads and provider {@code options} ask for. */
  static SessionFactory of(EngineOptions options, ExternalData externalData) {
    return new SessionFactory(
        options.device(), options.intraOpThreads(), options.intraOpSpinning(), externalData);
  }

  OrtEnvironment env() {
    return env;
  }

  /** What every session this factory creates is given, once the provider is settled. */
  SessionSettings settings() {
    return new SessionSettings(provider(), intraOpThreads, intraOpSpinning, OPTIMISATION.name());
  }

  /**
   * The provider the sessions run on, as reported in audit records: {@code CPU} or {@code CUDA:N}.
   */
  String provider() {
    return useCuda ? "CUDA:" + device.index() : "CPU";
  }

  synchronized OrtSession create(byte[] model) {
    if (!settled) {
      settle();
    }
    try (OrtSession.SessionOptions options = options(useCuda)) {
      OrtSession session = env.createSession(model, options);
      open.add(session);
      LIVE.incrementAndGet();
      return session;
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
    }
  }

  /** Closes one session this factory created; closing it again does nothing. */
  void close(OrtSession session) {
    if (session == null || !open.remove(session)) {
      return;
    }
    LIVE.decrementAndGet();
    try {
      session.close();
    } catch (OrtException | RuntimeException e) {
      LOG.warn("closing an ONNX Runtime session: {}", e.getMessage());
    }
  }

  /**
   * A session for one block of code: {@code try (Lease l = sessions.lease(model)) { ... l.session()
   * ... }}.
   */
  Lease lease(byte[] model) {
    return new Lease(this, create(model));
  }

  /** A session that closes through its factory at the end of a try block. */
  record Lease(SessionFactory owner, OrtSession session) implements AutoCloseable {
    @Override
    public void close() {
      owner.close(session);
    }
  }

  /** Closes every session still open; safe to call more than once. */
  @Override
  public void close() {
    for (OrtSession s : List.copyOf(open)) {
      close(s);
    }
  }

  /** Sessions open in this JVM right now, across every factory. */
  static int liveSessions() {
    return LIVE.get();
  }

  private void settle() {
    settled = true;
    if (device.kind() == Device.Kind.CPU) {
      return;
    }
    try (OrtSession.SessionOptions probe = options(true)) {
      useCuda = true;
    } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
      if (device.kind() == Device.Kind.CUDA) {
        throw new EngineException(
            "the CUDA execution provider cannot be loaded ("
                + e.getMessage()
                + "); build with -Pgpu and install CUDA 12 and cuDNN 9, or use --device cpu",
            e);
      }
      LOG.warn("CUDA is not available ({}); running on CPU", firstLine(e.getMessage()));
    }
  }

  private OrtSession.SessionOptions options(boolean cuda) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    try {
      o.setOptimizationLevel(OPTIMISATION);
      if (intraOpThreads > 0) {
        o.setIntraOpNumThreads(intraOpThreads);
      }
      o.addConfigEntry(ALLOW_SPINNING, intraOpSpinning ? "1" : "0");
      if (externalData.present()) {
        o.addConfigEntry(EXTERNAL_DATA_FOLDER, externalData.folder().orElseThrow().toString());
      }
      if (cuda) {
        o.addCUDA(device.index());
      }
      return o;
    } catch (OrtException | RuntimeException e) {
      o.close();
      throw e;
    }
  }

  private static String firstLine(String s) {
    return s == null ? "no detail" : s.lines().findFirst().orElse(s);
  }
}
