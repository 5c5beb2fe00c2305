package org.vitaudit.dlq;

/**
 * Implemented by exceptions that know why their record belongs in the dead-letter topic. The
 * reason becomes the {@value DlqHeaders#REASON} header and the {@code reason} label of the DLQ
 * counter, so it must come from a small fixed set such as {@code corrupt_image} or
 * {@code image_too_large}, never from free text.
 */
public interface HasDlqReason {

  String dlqReason();
}
