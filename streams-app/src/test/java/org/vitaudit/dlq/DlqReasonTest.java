package org.vitaudit.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vitaudit.image.ImageRejectedException;

/** Dead-letter reasons are what dashboards and alerts match on: the codes must not drift. */
class DlqReasonTest {
  @Test
  void theCodesAreTheOnesDeadLetterConsumersAlreadySee() {
    assertThat(Arrays.stream(DlqReason.values()).map(DlqReason::code))
        .containsExactly(
            "empty_image",
            "image_too_large",
            "too_many_pixels",
            "unsupported_format",
            "corrupt_image",
            "unreachable_uri",
            "uri_not_allowed",
            "unknown_label",
            "model_error",
            "unreadable_avro",
            "undecodable_record",
            "processing_error");
  }

  @Test
  void everyImageRejectionHasItsOwnReason() {
    Set<DlqReason> mapped =
        Arrays.stream(ImageRejectedException.Reason.values())
            .map(DlqReason::of)
            .collect(Collectors.toSet());
    assertThat(mapped).hasSize(ImageRejectedException.Reason.values().length);
    assertThat(DlqReason.of(ImageRejectedException.Reason.TOO_MANY_PIXELS).code())
        .isEqualTo("too_many_pixels");
    assertThat(DlqReason.of(ImageRejectedException.Reason.CORRUPT).code())
        .isEqualTo("corrupt_image");
  }
}
