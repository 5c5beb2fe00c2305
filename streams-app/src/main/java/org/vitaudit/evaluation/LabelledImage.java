package org.vitaudit.evaluation;

import java.util.Optional;

/**
 * An input for evaluation: its tensor, and where known its class and its object's box (in model
 * input pixels).
 */
public record LabelledImage(String id, float[] input, Optional<Integer> label, Optional<Box> box) {}
