package org.vitaudit.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.vitaudit.config.AppConfig;

/**
 * The settings of one application instance in a test: its own application id and topics (so tests
 * sharing a broker never see each other's records), a free HTTP port, one replica, and its own
 * state folder. No model.path: the bundled demo model audits unless {@code extra} names one.
 */
public final class RunSettings {
  private RunSettings() {}

  /**
   * @param extra further keys and values, in pairs, over the ones above
   */
  public static Map<String, String> of(String bootstrapServers, Path stateDir, String... extra) {
    Map<String, String> m = new HashMap<>();
    m.put(AppConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    m.put(AppConfig.APPLICATION_ID_CONFIG, TestBroker.uniqueName("vit-audit-it"));
    m.put(AppConfig.INPUT_TOPIC_CONFIG, TestBroker.uniqueName("images"));
    m.put(AppConfig.AUDIT_TOPIC_CONFIG, TestBroker.uniqueName("audit"));
    m.put(AppConfig.DLQ_TOPIC_CONFIG, TestBroker.uniqueName("dlq"));
    m.put(AppConfig.MISPREDICTIONS_TOPIC_CONFIG, TestBroker.uniqueName("mispredictions"));
    m.put(AppConfig.HTTP_PORT_CONFIG, "0");
    m.put(AppConfig.REPLICATION_FACTOR_CONFIG, "1");
    m.put("kafka.state.dir", stateDir.toString());
    for (int i = 0; i < extra.length; i += 2) {
      m.put(extra[i], extra[i + 1]);
    }
    return m;
  }
}
