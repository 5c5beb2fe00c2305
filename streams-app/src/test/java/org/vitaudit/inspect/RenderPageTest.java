package org.vitaudit.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vitaudit.kafka.StoredAudit;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.schemas.AuditRecord;

/** The page {@code render} writes, without Kafka. */
class RenderPageTest {

  @Test
  void showsTheFiguresPredictionsVerdictModelAndTimings() {
    AuditRecord a = InspectTestSupport.audit("e7", "images", 0, 5, "class1", false);
    String html =
        EventPage.html(
            new StoredAudit(a, Optional.empty()),
            new StoredPosition("audit", 0, 9),
            new EventPage.Figure("e7_input.png", "input"),
            List.of(new EventPage.Figure("e7_class3_class3.png", "map of class3")));
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<img src=\"e7_input.png\"", "<img src=\"e7_class3_class3.png\"")
        .contains("predicted class3 (0.750), label class1 ✗", "<td>class1</td><td>0.1250</td>")
        .contains(
            a.getModel().getSha256(),
            "images-0@5",
            "audit-0@9",
            "decode 0.50, G 3.25, H 12.00, total 16.00")
        .doesNotContain("<script", "http:", "https:");
  }

  @Test
  void idsAndLabelsFromProducersCannotInjectMarkupOrEscapeTheFolder() {
    AuditRecord a =
        AuditRecord.newBuilder(
                InspectTestSupport.audit(
                    "<script>alert(1)</script>", "images", 0, 5, "\"><img src=x>", false))
            .build();
    String html =
        EventPage.html(
            new StoredAudit(a, Optional.empty()),
            new StoredPosition("audit", 0, 9),
            new EventPage.Figure("a.png", "input"),
            List.of());
    assertThat(html)
        .doesNotContain("<script>", "<img src=x>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x&gt;");
    assertThat(EventRenderer.fileSafe("../../etc/passwd")).isEqualTo("__.._etc_passwd");
    assertThat(EventRenderer.fileSafe("..")).isEqualTo("_");
    assertThat(EventRenderer.fileSafe("evt-1.a_b")).isEqualTo("evt-1.a_b");
  }
}
