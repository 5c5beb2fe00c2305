package org.vitaudit.replay;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;

/** Where a replay may write. */
class ReplayOutputTest {

  @Test
  void aTopicTheReplayReadsOrTheLiveApplicationWritesIsRefused() {
    AppConfig c = new AppConfig(Map.of(AppConfig.AUDIT_TOPIC_CONFIG, "audits"));
    assertThatThrownBy(() -> ReplayOutput.refuseLiveTopics(c, "audits", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--output-topic audits is a topic the replay reads or the live application writes;"
                + " name a topic of its own, e.g. audits.replay");
    assertThatThrownBy(() -> ReplayOutput.refuseLiveTopics(c, "old-audits", "old-audits"))
        .hasMessageStartingWith("--output-topic old-audits is a topic the replay reads");
    assertThatCode(() -> ReplayOutput.refuseLiveTopics(c, "audits.replay", "old-audits"))
        .doesNotThrowAnyException();
  }
}
