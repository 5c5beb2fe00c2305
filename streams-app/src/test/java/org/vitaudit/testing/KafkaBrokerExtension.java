package org.vitaudit.testing;

import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.vitaudit.kafka.EmbeddedKafka;

/**
 * Resolves {@link TestBroker} parameters with one broker shared by every test class of the JVM
 * (started on first use, stopped when the test run ends), so the suite pays the start-up once.
 *
 * <p>System property {@value #BROKER_PROPERTY}: {@code auto} (default: container if Docker answers,
 * else embedded), {@code embedded} or {@code container} (fails without Docker).
 */
public final class KafkaBrokerExtension implements ParameterResolver {

  public static final String BROKER_PROPERTY = "vitaudit.test.broker";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // The root store outlives every test class and closes AutoCloseable values at the very end.
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestBroker.class, k -> startBroker(), TestBroker.class);
  }

  private static TestBroker startBroker() {
    String choice = System.getProperty(BROKER_PROPERTY, "auto").toLowerCase(Locale.ROOT);
    TestBroker.Kind kind =
        switch (choice) {
          case "embedded" -> TestBroker.Kind.EMBEDDED;
          case "container" -> TestBroker.Kind.CONTAINER;
          case "auto" -> dockerAvailable() ? TestBroker.Kind.CONTAINER : TestBroker.Kind.EMBEDDED;
          default ->
              throw new ParameterResolutionException(
                  BROKER_PROPERTY + " must be auto, embedded or container, got '" + choice + "'");
        };
    long t0 = System.nanoTime();
    TestBroker broker =
        kind == TestBroker.Kind.CONTAINER
            ? new ContainerBroker()
            : new EmbeddedBroker(EmbeddedKafka.start(), true);
    LOG.info(
        "Test broker ({}) at {} started in {} ms",
        kind,
        broker.bootstrapServers(),
        (System.nanoTime() - t0) / 1_000_000);
    return broker;
  }

  private static boolean dockerAvailable() {
    boolean available;
    try {
      available = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      available = false;
    }
    if (!available) {
      LOG.info(
          "No Docker here (Testcontainers' error above is expected): using the in-process broker");
    }
    return available;
  }
}
