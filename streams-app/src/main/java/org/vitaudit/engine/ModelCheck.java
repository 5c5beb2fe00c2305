package org.vitaudit.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine found in a model and decided about it, without explaining any image: what {@code
 * check-model} prints.
 *
 * @param input the image input's name
 * @param inputShape its declared dimensions ({@code ?} where open)
 * @param prefixKinds one word per prefix token: {@code cls}, {@code distillation} (read by the
 *     head), {@code register} or {@code unused} (not read); empty where the head is not measured
 * @param head which rows the head reads; empty where the cut is before the last block, since the
 *     rows are read by perturbing the cut block's output and the later blocks carry every row to
 *     the logits
 * @param externalData the files that hold the weights outside the .onnx, relative to its folder
 * @param refusals per H: empty where it serves the default masks, else why not
 * @param served the H that {@code --h-mode auto} runs
 */
public record ModelCheck(
    ModelFacts facts,
    String input,
    List<String> inputShape,
    List<String> prefixKinds,
    Optional<HeadKind> head,
    List<String> externalData,
    Map<HKind, Optional<String>> refusals,
    HKind served) {}
