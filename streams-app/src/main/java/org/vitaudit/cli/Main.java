package org.vitaudit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code streams-app.jar}: wires the sub-commands, nothing else. */
@Command(
    name = "streams-app",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Audits Vision Transformer classifiers with ViT-ReciproCAM saliency maps.",
    subcommands = {
      CommandLine.HelpCommand.class,
      ExplainCommand.class,
      SplitCommand.class,
      BenchCommand.class,
      EvaluateCommand.class,
      ScenesCommand.class,
      ConfigCommand.class,
      RunCommand.class,
      DemoCommand.class,
      ReplayCommand.class,
      RenderCommand.class,
      TailCommand.class,
      CheckModelCommand.class,
      DashboardCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of a model the engine refuses. */
  static final int EXIT_MODEL_REFUSED = OneLineFailures.EXIT_MODEL_REFUSED;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setResourceBundle(ConfigHelp.bundle())
        .setParameterExceptionHandler(new OneLineErrors())
        .setExecutionExceptionHandler(new OneLineFailures());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
