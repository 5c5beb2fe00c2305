package org.vitaudit.cli;

import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns errors the user can fix (bad configuration) into one line on stderr and exit code 2;
 * everything else keeps its stack trace, which is what a bug report needs.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

  static final int CONFIG_ERROR_EXIT_CODE = 2;

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult)
      throws Exception {
    if (ex instanceof ConfigException) {
      cmd.getErr().println("Configuration error: " + ex.getMessage());
      cmd.getErr().flush();
      return CONFIG_ERROR_EXIT_CODE;
    }
    throw ex;
  }
}
