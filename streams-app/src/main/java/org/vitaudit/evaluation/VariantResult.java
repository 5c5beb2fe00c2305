package org.vitaudit.evaluation;

import java.util.Optional;

/**
 * One method's scores over a set of images, in percent: the paper's Table 1 columns, and where
 * boxes are known the pointing game, its chance level and the share of map energy inside the box.
 * ADCC is computed per image and averaged.
 */
public record VariantResult(
    String name,
    double drop,
    double increase,
    double coherency,
    double complexity,
    double adcc,
    Optional<Double> pointing,
    Optional<Double> pointingChance,
    Optional<Double> energyInBox) {}
