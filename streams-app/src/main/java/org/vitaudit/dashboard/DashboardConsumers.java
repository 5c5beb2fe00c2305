package org.vitaudit.dashboard;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The dashboard's consumer settings: read-only and group-less. Without {@code group.id} a consumer
 * cannot commit or join a group, so neither the application's group nor any other is touched;
 * {@code read_committed} because the audit topics are written in transactions.
 */
final class DashboardConsumers {
  private DashboardConsumers() {}

  static Map<String, Object> properties(
      Map<String, Object> clientProperties, String clientIdPrefix) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        clientIdPrefix + UUID.randomUUID().toString().substring(0, 8));
    return p;
  }
}
