package org.vitaudit.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, one process acting as broker and controller) running
 * inside this JVM, in a temporary directory that {@link #close()} deletes. No Docker, no ZooKeeper:
 * the {@code demo} command and the integration tests run against it.
 *
 * <p>Replication factors and {@code transaction.state.log.min.isr} are 1, so exactly-once
 * processing works on the single broker. The listener is {@code localhost} on a free port.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  /** Broker settings that make a one-node cluster behave like a healthy production one. */
  static final Map<String, String> SINGLE_NODE_SETTINGS =
      Map.ofEntries(
          Map.entry("offsets.topic.replication.factor", "1"),
          Map.entry("offsets.topic.num.partitions", "1"),
          Map.entry("transaction.state.log.replication.factor", "1"),
          Map.entry("transaction.state.log.min.isr", "1"),
          Map.entry("transaction.state.log.num.partitions", "1"),
          Map.entry("default.replication.factor", "1"),
          Map.entry("min.insync.replicas", "1"),
          // Kafka Streams waits this long before the first rebalance of a new group; nobody else
          // joins here.
          Map.entry("group.initial.rebalance.delay.ms", "0"),
          Map.entry("auto.create.topics.enable", "false"),
          // The test kit enables unreleased protocol versions; a demo broker should behave like a
          // released one.
          Map.entry("unstable.feature.versions.enable", "false"),
          Map.entry("unstable.api.versions.enable", "false"));

  private final KafkaClusterTestKit cluster;
  private final Path directory;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaClusterTestKit cluster, Path directory) {
    this.cluster = cluster;
    this.directory = directory;
    this.bootstrapServers = cluster.bootstrapServers();
  }

  /** Starts a broker with the default settings and waits until it accepts clients. */
  public static EmbeddedKafka start() {
    return start(Map.of());
  }

  /**
   * Starts a broker and waits until it accepts clients.
   *
   * @param brokerOverrides broker settings on top of the single-node defaults
   * @throws IllegalStateException when the broker cannot start, with the cause
   */
  public static EmbeddedKafka start(Map<String, String> brokerOverrides) {
    long t0 = System.nanoTime();
    Path dir;
    try {
      dir = Files.createTempDirectory("vitaudit-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a directory for the embedded Kafka broker", e);
    }
    KafkaClusterTestKit cluster = null;
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder(productionMetadata())
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .setBaseDirectory(dir)
              .build();
      KafkaClusterTestKit.Builder builder =
          new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
      SINGLE_NODE_SETTINGS.forEach(builder::setConfigProp);
      brokerOverrides.forEach(builder::setConfigProp);
      cluster = builder.build();
      formatQuietly(cluster);
      cluster.startup();
      cluster.waitForReadyBrokers();
      EmbeddedKafka kafka = new EmbeddedKafka(cluster, dir);
      LOG.info(
          "Embedded Kafka broker ready at {} in {} ms (data in {})",
          kafka.bootstrapServers,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
          dir);
      return kafka;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(cluster);
      deleteQuietly(dir);
      throw new IllegalStateException("Cannot start the embedded Kafka broker: " + e, e);
    }
  }

  /**
   * Kafka's storage formatter prints two lines to standard output; commands print their results
   * there (demo's summary, JSON lines), so those lines go to the log instead.
   */
  private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    synchronized (System.class) {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        cluster.format();
      } finally {
        System.setOut(stdout);
      }
    }
    captured.toString(StandardCharsets.UTF_8).lines().forEach(l -> LOG.debug("format: {}", l));
  }

  /**
   * The metadata version and feature levels {@code kafka-storage format} gives a real broker of
   * this Kafka release; the test kit's default is the unreleased next version.
   */
  private static BootstrapMetadata productionMetadata() {
    MetadataVersion version = MetadataVersion.latestProduction();
    Map<String, Short> features = new TreeMap<>();
    for (Feature f : Feature.PRODUCTION_FEATURES) {
      features.put(f.featureName(), f.defaultLevel(version));
    }
    return BootstrapMetadata.fromVersions(version, features, "vitaudit-embedded");
  }

  /** {@code localhost:PORT}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Creates topics with this many partitions each (replication factor 1); existing ones are kept.
   */
  public void createTopics(int partitions, String... topics) {
    createTopics(partitions, Map.of(), List.of(topics));
  }

  /**
   * Creates topics (replication factor 1) with topic-level settings, e.g. {@code max.message.bytes}
   * for topics that carry images; topics that already exist are kept as they are.
   */
  public void createTopics(
      int partitions, Map<String, String> topicConfig, Collection<String> topics) {
    Topics.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        partitions,
        (short) 1,
        topicConfig,
        topics);
  }

  /**
   * Stops the broker and starts it again with the same data on the same port, as a broker restarted
   * by its operator: for checking that clients ride it out. The controller keeps running.
   *
   * @throws IllegalStateException when it does not come back, with the cause
   */
  public void restartBroker() {
    try {
      for (BrokerServer b : cluster.brokers().values()) {
        b.shutdown();
        b.awaitShutdown();
        b.startup();
      }
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("The embedded Kafka broker did not restart: " + e, e);
    }
  }

  /** Stops the broker and deletes its directory. */
  @Override
  public void close() {
    closeQuietly(cluster);
    deleteQuietly(directory);
  }

  private static void closeQuietly(KafkaClusterTestKit cluster) {
    if (cluster == null) {
      return;
    }
    try {
      cluster.close();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("Embedded Kafka broker did not stop cleanly", e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try {
      Utils.delete(dir.toFile());
    } catch (IOException e) {
      LOG.warn("Could not delete {}", dir, e);
    }
  }
}
