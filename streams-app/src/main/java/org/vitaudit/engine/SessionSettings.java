package org.vitaudit.engine;

/**
 * The options an ONNX Runtime session was created with, as far as they differ between sessions
 * here: for checking that two sessions compared side by side got the same.
 *
 * @param provider {@code CPU} or {@code CUDA:N}
 * @param intraOpThreads 0 where ONNX Runtime chose
 * @param optimisation the graph optimisation level
 */
public record SessionSettings(
    String provider, int intraOpThreads, boolean intraOpSpinning, String optimisation) {}
