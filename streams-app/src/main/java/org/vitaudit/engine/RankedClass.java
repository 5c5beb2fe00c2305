package org.vitaudit.engine;

/** One class of the model's own prediction (never H's), with its softmax probability. */
public record RankedClass(int classIndex, String label, double probability) {}
