package org.vitaudit.cli;

import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.model.ModelNotSupportedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one line on stderr and an exit code; the stack trace is logged at
 * debug level only ({@code VITAUDIT_LOG_LEVEL=DEBUG}), as users read the line, not the trace.
 */
final class OneLineFailures implements IExecutionExceptionHandler {
  /** Bad configuration or option values: the user can fix them. */
  static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  /** A model the engine refuses (no pre-norm block, no LayerNorm, ...). */
  static final int EXIT_MODEL_REFUSED = 3;

  private static final Logger LOG = LoggerFactory.getLogger(OneLineFailures.class);

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String line = message.lines().findFirst().orElse(message);
    cmd.getErr()
        .println(e instanceof ConfigException ? "Configuration error: " + line : "error: " + line);
    cmd.getErr().flush();
    LOG.debug("details", e);
    if (e instanceof ModelNotSupportedException) {
      return EXIT_MODEL_REFUSED;
    }
    if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
      return EXIT_USAGE;
    }
    return CommandLine.ExitCode.SOFTWARE;
  }
}
