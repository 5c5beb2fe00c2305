package org.vitaudit.engine;

/**
 * A failure inside the engine at run time (ONNX Runtime refused a model or an input), unchecked so
 * that stream processors and commands can route it without wrapping checked exceptions.
 */
public class EngineException extends RuntimeException {
  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }

  public EngineException(String message) {
    super(message);
  }
}
