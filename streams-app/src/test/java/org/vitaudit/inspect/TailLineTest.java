package org.vitaudit.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.Prediction;

/** The line {@code tail} prints per audit record. */
class TailLineTest {

  @Test
  void showsIdTopPredictionLabelVerdictAndTheTopMapsPeak() {
    assertThat(AuditLine.of(InspectTestSupport.audit("e1", "images", 0, 0, "class3", true)))
        .isEqualTo("e1  class3 0.750  label class3 ✓  peak (1,2)");
    assertThat(AuditLine.of(InspectTestSupport.audit("e2", "images", 0, 1, "class1", false)))
        .isEqualTo("e2  class3 0.750  label class1 ✗  peak (1,2)");
    assertThat(AuditLine.of(InspectTestSupport.audit("e3", "images", 0, 2, null, null)))
        .isEqualTo("e3  class3 0.750  no label  peak (1,2)");
    assertThat(AuditLine.of(InspectTestSupport.audit("e4", "images", 0, 3, "zebra", null)))
        .isEqualTo("e4  class3 0.750  label zebra ?  peak (1,2)");
  }

  @Test
  void thePeakIsTheTopClassesMapEvenWhenItIsNotListedFirst() {
    AuditRecord a = InspectTestSupport.audit("e", "images", 0, 0, null, null);
    AuditRecord swapped =
        AuditRecord.newBuilder(a).setMaps(List.of(a.getMaps().get(1), a.getMaps().get(0))).build();
    assertThat(MapPeak.ofTopMap(swapped)).get().isEqualTo(new MapPeak(3, 1, 2, 1f));
    AuditRecord noTopMap =
        AuditRecord.newBuilder(a)
            .setPredictions(List.of(new Prediction(4, "class4", 0.9f)))
            .setMaps(List.of(a.getMaps().get(1)))
            .build();
    assertThat(AuditLine.of(noTopMap)).endsWith("peak (3,0)");
    assertThat(AuditLine.of(AuditRecord.newBuilder(a).setMaps(List.of()).build()))
        .endsWith("no map");
  }
}
