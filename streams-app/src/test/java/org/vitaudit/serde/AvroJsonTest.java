package org.vitaudit.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AuditFormat;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.ImageEvent;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.testing.SampleRecords;

class AvroJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void auditRecordReadsCleanlyForDashboards() throws Exception {
    JsonNode j = JSON.readTree(AvroJson.toBytes(SampleRecords.audit()));

    assertThat(j.get("event_id").asText()).isEqualTo("evt-42");
    assertThat(j.get("input").get("partition").asInt()).isEqualTo(3);
    assertThat(j.get("event_time").asText()).isEqualTo("2026-11-25T10:00:00.123Z");
    assertThat(j.get("method").get("variant").asText()).isEqualTo("gaussian");
    assertThat(j.get("known_label").asText()).isEqualTo("seven");
    assertThat(j.get("correct").asBoolean()).isTrue();
    assertThat(j.get("quality").get("drop").floatValue()).isEqualTo(0.5f);
    JsonNode values = j.get("maps").get(0).get("values");
    assertThat(values.isArray()).isTrue();
    assertThat(JSON.convertValue(values, int[].class)).containsExactly(0, 1, 127, 128, 200, 255);
    assertThat(j.get("predictions").get(0).get("class_index").asInt()).isEqualTo(7);
  }

  @Test
  void nullableFieldsAreNullNotWrapped() throws Exception {
    JsonNode j = JSON.readTree(AvroJson.toBytes(SampleRecords.auditWithoutLabel()));
    assertThat(j.get("known_label").isNull()).isTrue();
    assertThat(j.get("correct").isNull()).isTrue();
    assertThat(j.get("quality").isNull()).isTrue();
  }

  @Test
  void roundTripsEveryRecordType() {
    for (AuditRecord r : List.of(SampleRecords.audit(), SampleRecords.auditWithoutLabel())) {
      assertThat(AvroJson.fromBytes(AvroJson.toBytes(r), AuditRecord.class)).isEqualTo(r);
    }
    for (ImageEvent e : List.of(SampleRecords.inlineImage(), SampleRecords.imageByUri())) {
      assertThat(AvroJson.fromBytes(AvroJson.toBytes(e), ImageEvent.class)).isEqualTo(e);
    }
    Misprediction m = SampleRecords.misprediction();
    assertThat(AvroJson.fromBytes(AvroJson.toBytes(m), Misprediction.class)).isEqualTo(m);
  }

  @Test
  void theAuditFormatKeyPicksTheSerde() {
    Serde<AuditRecord> json = AuditSerdes.forFormat(AuditFormat.JSON);
    byte[] bytes = json.serializer().serialize("t", SampleRecords.audit());
    assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"event_id\":\"evt-42\"");
    assertThat(json.deserializer().deserialize("t", bytes)).isEqualTo(SampleRecords.audit());
    assertThat(
            AuditSerdes.forFormat(AuditFormat.AVRO)
                .serializer()
                .serialize("t", SampleRecords.audit())[0])
        .isEqualTo((byte) 0xC3);
    assertThatThrownBy(() -> AuditSerdes.forFormat("xml"))
        .hasMessageContaining("avro, json")
        .hasMessageContaining("'xml'");
  }

  @Test
  void missingOptionalFieldsTakeTheirDefaults() {
    ObjectNode j = AvroJson.toTree(SampleRecords.auditWithoutLabel());
    j.remove(List.of("known_label", "correct", "quality"));
    assertThat(AvroJson.fromTree(j, AuditRecord.class))
        .isEqualTo(SampleRecords.auditWithoutLabel());
  }

  @Test
  void errorsNameTheFieldPathAndTheExpectation() {
    ObjectNode j = AvroJson.toTree(SampleRecords.audit());
    ((ObjectNode) j.get("predictions").get(1)).put("probability", "high");
    assertThatThrownBy(() -> AvroJson.fromTree(j, AuditRecord.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(
            "AuditRecord.predictions[1].probability must be a number, got \"high\"");

    ObjectNode k = AvroJson.toTree(SampleRecords.audit());
    k.remove("event_id");
    assertThatThrownBy(() -> AvroJson.fromTree(k, AuditRecord.class))
        .hasMessageContaining("missing field AuditRecord.event_id");

    ObjectNode v = AvroJson.toTree(SampleRecords.audit());
    ((ObjectNode) v.get("maps").get(0)).putArray("values").add(256);
    assertThatThrownBy(() -> AvroJson.fromTree(v, AuditRecord.class))
        .hasMessageContaining("maps[0].values[0] must be an int 0-255");

    assertThatThrownBy(
            () ->
                AvroJson.fromBytes("not json".getBytes(StandardCharsets.UTF_8), AuditRecord.class))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not JSON");
  }
}
