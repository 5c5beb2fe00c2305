package org.vitaudit.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.vitaudit.cli.Main;
import picocli.CommandLine;

/** Runs the command line in-process, capturing what it prints. */
public record CliRun(int exitCode, String out, String err) {
  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** What the command wrote to stderr, without log lines (which carry a timestamp). */
  public List<String> errorLines() {
    return err.lines().filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList();
  }
}
