package org.vitaudit.dashboard;

/** One sampled quality measurement (the record's {@code quality}) at the record's time. */
public record QualityPoint(
    long timeMillis,
    String eventId,
    double drop,
    double increase,
    double coherency,
    double complexity) {}
