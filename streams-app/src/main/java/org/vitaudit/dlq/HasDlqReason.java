package org.vitaudit.dlq;

/**
 * Implemented by exceptions that know why their record belongs in the dead-letter topic. The reason
 * becomes the {@value DlqHeaders#REASON} header and the {@code reason} label of the DLQ counter, so
 * it is one of {@link DlqReason}'s, never free text.
 */
public interface HasDlqReason {

  DlqReason dlqReason();
}
