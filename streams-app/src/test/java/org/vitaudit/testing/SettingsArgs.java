package org.vitaudit.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A command line for a command run against a test's configuration: its own arguments, then {@code
 * --set k=v} each.
 */
public final class SettingsArgs {
  private SettingsArgs() {}

  public static String[] of(Map<String, String> settings, String... commandArgs) {
    List<String> args = new ArrayList<>(List.of(commandArgs));
    new TreeMap<>(settings)
        .forEach(
            (k, v) -> {
              args.add("--set");
              args.add(k + "=" + v);
            });
    return args.toArray(String[]::new);
  }
}
