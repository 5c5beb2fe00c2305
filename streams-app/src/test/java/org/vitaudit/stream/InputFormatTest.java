package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitaudit.choice.Choices;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.AuditFormat;
import org.vitaudit.config.InputFormat;

/** The input and audit formats' names, as configuration and the records' readers know them. */
class InputFormatTest {

  @Test
  void theFormatsAreNamedAsTheConfigurationNamesThem() {
    assertThat(Choices.names(InputFormat.class)).containsExactly("raw", "avro");
    assertThat(Choices.names(AuditFormat.class)).containsExactly("avro", "json");
    AppConfig avro =
        new AppConfig(
            Map.of(AppConfig.INPUT_FORMAT_CONFIG, "avro", AppConfig.AUDIT_FORMAT_CONFIG, "json"));
    assertThat(avro.getChoice(AppConfig.INPUT_FORMAT_CONFIG, InputFormat.class))
        .isEqualTo(InputFormat.AVRO);
    assertThat(EventReaders.configured(avro)).isInstanceOf(AvroEventReader.class);
    assertThat(avro.getChoice(AppConfig.AUDIT_FORMAT_CONFIG, AuditFormat.class))
        .isEqualTo(AuditFormat.JSON);
    assertThat(EventReaders.configured(new AppConfig(Map.of()))).isInstanceOf(RawEventReader.class);
  }

  @Test
  void anUnknownNameIsRefusedWithTheNamesItCouldBe() {
    assertThatThrownBy(
            () -> Choices.parse(InputFormat.class, AppConfig.INPUT_FORMAT_CONFIG, "protobuf"))
        .hasMessage("input.format must be one of raw, avro, not 'protobuf'");
  }
}
