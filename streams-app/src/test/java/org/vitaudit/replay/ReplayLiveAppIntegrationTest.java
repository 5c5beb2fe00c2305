package org.vitaudit.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.app.AuditApplication;
import org.vitaudit.config.AppConfig;
import org.vitaudit.stream.StreamIntegrationTest;
import org.vitaudit.stream.StreamTestSupport;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.SettingsArgs;
import org.vitaudit.testing.TestBroker;

/** A replay of the live application's own input while it runs leaves its consumer group alone. */
@KafkaBroker
class ReplayLiveAppIntegrationTest {
  @TempDir Path tmp;

  @Test
  void aReplayWhileTheLiveAppRunsLeavesItsGroupUntouchedAndTheAppKeepsWorking(TestBroker broker)
      throws Exception {
    Map<String, String> s = StreamIntegrationTest.settings(broker, tmp.resolve("state"));
    AppConfig c = new AppConfig(s);
    String in = c.getString(AppConfig.INPUT_TOPIC_CONFIG);
    String group = c.getString(AppConfig.APPLICATION_ID_CONFIG);
    TopicPartition tp = new TopicPartition(in, 0);
    try (AuditApplication app = AuditApplication.start(c);
        Admin admin = Admin.create(broker.clientProperties())) {
      for (int i = 0; i < 4; i++) {
        StreamIntegrationTest.send(broker, in, "live-" + i, StreamTestSupport.png(i));
      }
      assertThat(StreamIntegrationTest.outcomes(broker, c, 4)).hasSize(4);
      awaitCommitted(admin, group, tp, 4);
      Map<TopicPartition, OffsetAndMetadata> before = committed(admin, group);
      Set<String> groupsBefore = groups(admin);

      String out = TestBroker.uniqueName("replayed");
      CliRun run =
          CliRun.of(SettingsArgs.of(s, "replay", "--from-offsets", "0:0", "--output-topic", out));
      assertThat(run.exitCode()).as(run.err()).isZero();

      assertThat(groups(admin)).as("the replay made no consumer group").isEqualTo(groupsBefore);
      assertThat(committed(admin, group)).isEqualTo(before);
      assertThat(ReplayTestSupport.outcomes(broker, out, 4))
          .containsOnlyKeys("live-0", "live-1", "live-2", "live-3");

      StreamIntegrationTest.send(broker, in, "live-4", StreamTestSupport.png(4));
      StreamIntegrationTest.send(broker, in, "live-5", StreamTestSupport.png(5));
      assertThat(StreamIntegrationTest.outcomes(broker, c, 6))
          .hasSize(6)
          .allSatisfy((id, where) -> assertThat(where).isEqualTo("audit"));
      awaitCommitted(admin, group, tp, 6);
      assertThat(app.state().isRunningOrRebalancing()).isTrue();
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
      throws Exception {
    return admin
        .listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS);
  }

  private static Set<String> groups(Admin admin) throws Exception {
    return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
        .map(GroupListing::groupId)
        .collect(Collectors.toSet());
  }

  private static void awaitCommitted(Admin admin, String group, TopicPartition tp, long offset)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      OffsetAndMetadata o = committed(admin, group).get(tp);
      if (o != null && o.offset() >= offset) {
        return;
      }
      assertThat(System.nanoTime())
          .as("group %s commits offset %d", group, offset)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
