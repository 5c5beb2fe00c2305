package org.vitaudit.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of the Dockerfile syntax for the deployment checks: instructions (continuations
 * joined, comments dropped), stages, build arguments with defaults, and {@code .dockerignore}
 * matching.
 */
final class Dockerfiles {

  private Dockerfiles() {}

  /** One instruction: keyword upper-cased, the rest as written (continuations joined by spaces). */
  record Instruction(String keyword, String args) {}

  /** A build stage: its base image, its alias (or null) and its instructions after FROM. */
  record Stage(String from, String alias, List<Instruction> instructions) {
    List<String> args(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(Instruction::args)
          .toList();
    }

    /** The last instruction with the keyword, or null. */
    String last(String keyword) {
      List<String> all = args(keyword);
      return all.isEmpty() ? null : all.get(all.size() - 1);
    }
  }

  /** A parsed Dockerfile: its stages in order and the defaults of ARGs declared anywhere. */
  record Parsed(List<Stage> stages, Map<String, String> argDefaults) {
    Stage last() {
      return stages.get(stages.size() - 1);
    }

    /** Replaces ${NAME} and $NAME with the ARG defaults. */
    String expand(String s) {
      Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(s);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = argDefaults.get(m.group(1));
        m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
      }
      m.appendTail(out);
      return out.toString();
    }
  }

  static Parsed parse(Path file) {
    List<Instruction> all = instructions(DeployFiles.text(file));
    List<Stage> stages = new ArrayList<>();
    Map<String, String> argDefaults = new HashMap<>();
    for (Instruction i : all) {
      if (i.keyword().equals("FROM")) {
        String[] words = i.args().trim().split("\\s+");
        List<String> rest = new ArrayList<>();
        for (String w : words) {
          if (!w.startsWith("--platform")) {
            rest.add(w);
          }
        }
        String alias = rest.size() >= 3 && rest.get(1).equalsIgnoreCase("AS") ? rest.get(2) : null;
        stages.add(new Stage(rest.get(0), alias, new ArrayList<>()));
      } else if (i.keyword().equals("ARG")) {
        String a = i.args().trim();
        int eq = a.indexOf('=');
        if (eq > 0) {
          argDefaults.put(a.substring(0, eq), a.substring(eq + 1));
        }
        if (!stages.isEmpty()) {
          stages.get(stages.size() - 1).instructions().add(i);
        }
      } else if (stages.isEmpty()) {
        throw new IllegalStateException(file + ": " + i.keyword() + " before the first FROM");
      } else {
        stages.get(stages.size() - 1).instructions().add(i);
      }
    }
    return new Parsed(stages, argDefaults);
  }

  private static List<Instruction> instructions(String text) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue; // comments (also inside continuations) and blank lines between instructions
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String joined = current.toString().strip();
      current.setLength(0);
      if (joined.isEmpty()) {
        continue;
      }
      int space = joined.indexOf(' ');
      out.add(
          new Instruction(
              joined.substring(0, space < 0 ? joined.length() : space).toUpperCase(),
              space < 0 ? "" : joined.substring(space + 1).strip()));
    }
    return out;
  }

  /**
   * The words of an exec-form (JSON array) instruction such as ENTRYPOINT ["java", "-jar", ...].
   */
  static List<String> execForm(String args) {
    String a = args.strip();
    if (!a.startsWith("[") || !a.endsWith("]")) {
      throw new AssertionError("not in exec form: " + args);
    }
    List<String> words = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(a);
    while (m.find()) {
      words.add(m.group(1));
    }
    return words;
  }

  /**
   * Whether {@code .dockerignore}'s patterns keep a path (relative, with slashes) in the build
   * context: the last pattern matching the path or one of its parent folders decides, a leading
   * {@code !} re-includes; {@code *} does not cross a slash, {@code **} does.
   */
  static boolean inContext(List<String> patterns, String path) {
    boolean included = true;
    for (String raw : patterns) {
      String p = raw.strip();
      if (p.isEmpty() || p.startsWith("#")) {
        continue;
      }
      boolean exception = p.startsWith("!");
      if (exception) {
        p = p.substring(1);
      }
      p = p.replaceAll("^/+", "").replaceAll("/+$", "");
      Pattern regex = Pattern.compile(glob(p));
      if (matchesItselfOrParent(regex, path)) {
        included = exception;
      }
    }
    return included;
  }

  private static boolean matchesItselfOrParent(Pattern regex, String path) {
    String p = path;
    while (true) {
      if (regex.matcher(p).matches()) {
        return true;
      }
      int slash = p.lastIndexOf('/');
      if (slash < 0) {
        return false;
      }
      p = p.substring(0, slash);
    }
  }

  private static String glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
        // "**/" matches any number of folders, including none.
        if (i + 2 < pattern.length() && pattern.charAt(i + 2) == '/') {
          re.append("(?:.*/)?");
          i += 2;
        } else {
          re.append(".*");
          i++;
        }
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
