package org.vitaudit.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics on any cluster (embedded, container or real, SASL/SSL settings included). */
public final class Topics {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Topics() {}

  /**
   * Creates the topics that do not exist yet; existing topics are left as they are.
   *
   * @param adminProperties client settings, at least {@code bootstrap.servers}
   * @param replicationFactor -1 for the broker's default
   * @param topicConfig topic-level settings, e.g. {@code max.message.bytes} for topics carrying
   *     images
   * @throws IllegalStateException naming the topic and the broker's reason
   */
  public static void create(
      Map<String, Object> adminProperties,
      int partitions,
      short replicationFactor,
      Map<String, String> topicConfig,
      Collection<String> topics) {
    try (Admin admin = Admin.create(adminProperties)) {
      List<NewTopic> newTopics =
          topics.stream()
              .map(t -> new NewTopic(t, partitions, replicationFactor).configs(topicConfig))
              .toList();
      for (var result : admin.createTopics(newTopics).values().entrySet()) {
        try {
          result.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "Cannot create topic " + result.getKey() + ": " + e.getCause(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics " + topics, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Timed out after " + TIMEOUT.toSeconds() + " s creating topics " + topics, e);
    }
  }
}
