package org.vitaudit.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
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
 */
final class SessionFactory {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);
  /** ONNX Runtime's session config key for where external data lives when a model comes as bytes. */
  private static final String EXTERNAL_DATA_FOLDER = "session.model_external_initializers_file_folder_path";

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final Device device;
  private final int intraOpThreads;
  private final ExternalData externalData;
  private boolean useCuda;
  private boolean settled;

  SessionFactory(Device device, int intraOpThreads, ExternalData externalData) {
    this.device = device;
    this.intraOpThreads = intraOpThreads;
    this.externalData = externalData;
  }

  OrtEnvironment env() {
    return env;
  }

  /** The provider the sessions run on, as reported in audit records: {@code CPU} or {@code CUDA:N}. */
  String provider() {
    return useCuda ? "CUDA:" + device.index() : "CPU";
  }

  synchronized OrtSession create(byte[] model) {
    if (!settled) {
      settle();
    }
    try (OrtSession.SessionOptions options = options(useCuda)) {
      return env.createSession(model, options);
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
    }
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
        throw new EngineException("the CUDA execution provider cannot be loaded (" + e.getMessage()
            + "); build with -Pgpu and install CUDA 12 and cuDNN 9, or use --device cpu", e);
      }
      LOG.warn("CUDA is not available ({}); running on CPU", firstLine(e.getMessage()));
    }
  }

  private OrtSession.SessionOptions options(boolean cuda) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    try {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (intraOpThreads > 0) {
        o.setIntraOpNumThreads(intraOpThreads);
      }
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
