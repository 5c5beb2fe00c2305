package org.vitaudit.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitaudit.model.ModelNotSupportedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code streams-app.jar}: wires the sub-commands, nothing else. */
@Command(
    name = "streams-app",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Audits Vision Transformer classifiers with ViT-ReciproCAM saliency maps.",
    subcommands = {CommandLine.HelpCommand.class, ExplainCommand.class, SplitCommand.class,
        BenchCommand.class, EvaluateCommand.class, ScenesCommand.class})
public final class Main implements Runnable {
  /** Exit code of a model the engine refuses (no pre-norm block, no LayerNorm, ...). */
  static final int EXIT_MODEL_REFUSED = 3;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setParameterExceptionHandler(new OneLineErrors())
        .setExecutionExceptionHandler(Main::oneLineError);
  }

  /** Failures become one line on stderr (the stack trace only at debug level) and an exit code. */
  private static int oneLineError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    cmd.getErr().println("error: " + message.lines().findFirst().orElse(message));
    cmd.getErr().flush();
    LOG.debug("details", e);
    if (e instanceof ModelNotSupportedException) {
      return EXIT_MODEL_REFUSED;
    }
    return e instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
