package org.vitaudit.dashboard;

/**
 * A record of the dead-letter topic as the dashboard shows it, read from its headers.
 *
 * @param eventId the {@code event-id} header, else the key, else input topic-partition-offset
 * @param reason {@code vitaudit.error.reason}, or {@code unknown} when the header is missing
 * @param inputTopic the input's coordinates (null when the headers lack them)
 */
public record DeadLetter(
    String eventId,
    String reason,
    String exception,
    String message,
    String inputTopic,
    Integer inputPartition,
    Long inputOffset,
    long timeMillis) {}
