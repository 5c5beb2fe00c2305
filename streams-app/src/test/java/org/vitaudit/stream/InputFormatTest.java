package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitaudit.choice.Choices;
import org.vitaudit.config.AppConfig;
import org.vitaudit.serde.AuditFormat;

/** The input and audit formats' names, as configuration and the records' readers know them. */
class InputFormatTest {

  @Test
  void theFormatsAreNamedAsTheConfigurationNamesThem() {
    assertThat(Choices.names(InputFormat.class)).containsExactly("raw", "avro");
    assertThat(Choices.names(AuditFormat.class)).containsExactly("avro", "json");
    AppConfig avro = new AppConfig(Map.of(AppConfig.INPUT_FORMAT_CONFIG, "avro", AppConfig.AUDIT_FORMAT_CONFIG, "json"));
    assertThat(InputFormat.of(avro)).isEqualTo(InputFormat.AVRO);
    assertThat(InputFormat.of(avro).reader(avro)).isInstanceOf(AvroEventReader.class);
    assertThat(AuditFormat.of(avro)).isEqualTo(AuditFormat.JSON);
    assertThat(InputFormat.of(new AppConfig(Map.of())).reader(avro)).isInstanceOf(RawEventReader.class);
  }

  @Test
  void anUnknownNameIsRefusedWithTheNamesItCouldBe() {
    assertThatThrownBy(() -> Choices.parse(InputFormat.class, AppConfig.INPUT_FORMAT_CONFIG, "protobuf"))
        .hasMessage("input.format must be one of raw, avro, not 'protobuf'");
  }
}
