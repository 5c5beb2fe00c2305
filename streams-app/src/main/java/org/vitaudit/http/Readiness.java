package org.vitaudit.http;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether the instance is ready, and where it is not, why: {@code /health/ready} answers 200, or
 * 503 with the reason on one line, so that whoever looks at a pod that stays not ready reads why.
 */
@FunctionalInterface
public interface Readiness {
  /** Empty while ready; else why not (empty text where there is nothing more to say). */
  Optional<String> notReadyBecause();

  /** A yes-or-no check, with no reason to give. */
  static Readiness of(BooleanSupplier ready) {
    return () -> ready.getAsBoolean() ? Optional.empty() : Optional.of("");
  }
}
