package org.vitaudit.dashboard;

import java.util.Optional;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.EngineSettings;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageLimits;
import org.vitaudit.image.Preprocessor;

/**
 * The running dashboard: a reader thread following the audit topics into the state, the web server
 * over it, and the input-image fetcher behind its thumbnails. Closing stops all three.
 */
public final class Dashboard implements AutoCloseable {
  /** Rendered PNGs kept: a screenful of thumbnails and a detail view or two. */
  static final int IMAGE_CACHE = 256;

  private final AuditTopicsReader reader;
  private final Thread readerThread;
  private final KafkaInputImages inputs;
  private final DashboardServer server;
  private final DashboardState state;

  private Dashboard(
      AppConfig config, DashboardSettings settings, StartAt from, String host, int port) {
    state = new DashboardState(settings, System::currentTimeMillis);
    inputs = new KafkaInputImages(config);
    // The picture is preprocessed the way the configured model does it (model.path, else the demo
    // model).
    Preprocessor preprocessor = new Preprocessor(EngineSettings.setup(config).preprocessing());
    ImageDecoder decoder =
        new ImageDecoder(
            new ImageLimits(
                config.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG),
                config.getLong(AppConfig.IMAGE_MAX_PIXELS_CONFIG)));
    EventImages images = new EventImages(inputs, decoder, preprocessor, IMAGE_CACHE);
    try {
      server = DashboardServer.start(state, Optional.of(images), host, port);
    } catch (RuntimeException e) {
      // A port already taken, say: the consumer opened above must not outlive the failure.
      inputs.close();
      throw e;
    }
    reader = new AuditTopicsReader(config, state, from);
    readerThread = new Thread(reader, "dashboard-reader");
    readerThread.setDaemon(true);
    readerThread.start();
  }

  /**
   * Starts serving on {@code host:port} (0: any free port) and reading the topics that {@code
   * config} names, each partition from where {@code from} says.
   */
  public static Dashboard start(
      AppConfig config, DashboardSettings settings, StartAt from, String host, int port) {
    return new Dashboard(config, settings, from, host, port);
  }

  public int port() {
    return server.port();
  }

  public DashboardState state() {
    return state;
  }

  /** Blocks until the dashboard is closed from another thread. */
  public void awaitClose() throws InterruptedException {
    readerThread.join();
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
    readerThread.join(10_000);
    server.close();
    inputs.close();
  }
}
