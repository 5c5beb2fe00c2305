package org.vitaudit.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard of deploy/grafana, read as data: its panels, the PromQL they run, and the
 * series selectors in that PromQL (metric name and matched label names), so tests can hold them
 * against what the application exports.
 */
final class GrafanaDashboard {

  static final Path FILE = DeployFiles.path("deploy/grafana/vit-audit-dashboard.json");

  /** Words that PromQL uses between expressions and that name no metric. */
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

  /** Aggregations, which may take their {@code by (...)} before their argument. */
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");

  /** Keywords followed by a parenthesised list of label names, not expressions. */
  private static final Set<String> LABEL_LISTS =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

  /** {@code label_values(metric, label)} in a dashboard variable's query. */
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*,");

  /** One label matcher, its value (a string) already emptied. */
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"\"");

  /**
   * One series selector of a query.
   *
   * @param labels the label names it matches on
   * @param quantileOf whether it is (part of) the argument of {@code histogram_quantile}
   */
  record Selector(String name, Set<String> labels, boolean quantileOf) {}

  /** One query of a panel (or of a dashboard variable: panel "variable NAME"). */
  record Query(String panel, String expr) {}

  private final JsonNode root;

  private GrafanaDashboard(JsonNode root) {
    this.root = root;
  }

  static GrafanaDashboard read() {
    return read(FILE);
  }

  static GrafanaDashboard read(Path file) {
    try {
      return new GrafanaDashboard(new ObjectMapper().readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode root() {
    return root;
  }

  /** Every panel, those folded into rows included, rows themselves excluded. */
  List<JsonNode> panels() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : root.path("panels")) {
      if ("row".equals(p.path("type").asText())) {
        p.path("panels").forEach(out::add);
      } else {
        out.add(p);
      }
    }
    return out;
  }

  /** The PromQL of every panel target and every query variable, in that form. */
  List<Query> queries() {
    List<Query> out = new ArrayList<>();
    for (JsonNode p : panels()) {
      for (JsonNode t : p.path("targets")) {
        out.add(new Query(p.path("title").asText(), t.path("expr").asText()));
      }
    }
    for (JsonNode v : root.path("templating").path("list")) {
      if ("query".equals(v.path("type").asText())) {
        JsonNode q = v.path("query");
        String text = q.isObject() ? q.path("query").asText() : q.asText();
        out.add(new Query("variable " + v.path("name").asText(), text));
      }
    }
    return out;
  }

  /** The series selectors of a query: PromQL or a variable's {@code label_values(metric, l)}. */
  static List<Selector> selectors(String query) {
    Matcher m = LABEL_VALUES.matcher(query);
    if (m.lookingAt()) {
      return List.of(
          new Selector(m.group(1), m.group(2) == null ? Set.of() : labels(m.group(2)), false));
    }
    return promqlSelectors(query);
  }

  /**
   * The selectors of a PromQL expression. A small scanner rather than a parser: strings, ranges
   * ({@code [5m]}) and Grafana variables are skipped; an identifier followed by {@code (} is a
   * function; one after {@code by}, {@code on}, ... is a label; any other is a metric name, with
   * the label names of the {@code {...}} that follows it.
   */
  static List<Selector> promqlSelectors(String expr) {
    List<Selector> out = new ArrayList<>();
    // The function whose argument list each open parenthesis begins ("" for grouping).
    Deque<String> calls = new ArrayDeque<>();
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '[') {
        i = expr.indexOf(']', i) + 1;
      } else if (c == '$') {
        i = skipVariable(expr, i);
      } else if (c == '(') {
        calls.push("");
        i++;
      } else if (c == ')') {
        calls.poll();
        i++;
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int end = i;
        while (end < expr.length() && isNameChar(expr.charAt(end))) {
          end++;
        }
        String word = expr.substring(i, end);
        int next = skipSpace(expr, end);
        boolean call = next < expr.length() && expr.charAt(next) == '(';
        if (call && LABEL_LISTS.contains(word)) {
          i = expr.indexOf(')', next) + 1;
        } else if (call) {
          calls.push(word);
          i = next + 1;
        } else if (AGGREGATIONS.contains(word)
            || LABEL_LISTS.contains(word)
            || KEYWORDS.contains(word)) {
          i = end;
        } else {
          Set<String> labels = Set.of();
          i = end;
          if (next < expr.length() && expr.charAt(next) == '{') {
            int close = matchersEnd(expr, next);
            labels = labels(expr.substring(next, close));
            i = close;
          }
          out.add(new Selector(word, labels, calls.contains("histogram_quantile")));
        }
      } else if (Character.isDigit(c) || c == '.') {
        // A number (0.95, 1e3) or a duration after offset: letters attached to it are its own.
        while (i < expr.length() && (isNameChar(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
      } else if (c == '{') {
        throw new IllegalArgumentException("a selector without a metric name in: " + expr);
      } else {
        i++;
      }
    }
    return out;
  }

  /** The label names of a {@code {a="x", b=~"y"}} block. */
  private static Set<String> labels(String block) {
    Set<String> names = new LinkedHashSet<>();
    String bare = block.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    for (String matcher : bare.substring(1, bare.length() - 1).split(",")) {
      if (matcher.isBlank()) {
        continue;
      }
      Matcher m = MATCHER.matcher(matcher.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("a matcher not understood: " + matcher + " in " + block);
      }
      names.add(m.group(1));
    }
    return names;
  }

  private static int matchersEnd(String expr, int open) {
    int i = open + 1;
    while (i < expr.length() && expr.charAt(i) != '}') {
      char c = expr.charAt(i);
      i = c == '"' || c == '\'' || c == '`' ? skipString(expr, i) : i + 1;
    }
    if (i >= expr.length()) {
      throw new IllegalArgumentException("an unclosed { in: " + expr);
    }
    return i + 1;
  }

  private static int skipString(String expr, int open) {
    char quote = expr.charAt(open);
    int i = open + 1;
    while (i < expr.length() && expr.charAt(i) != quote) {
      i += expr.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    if (i >= expr.length()) {
      throw new IllegalArgumentException("an unclosed string in: " + expr);
    }
    return i + 1;
  }

  /** Past {@code $name}, {@code ${name}} or {@code ${name:format}}. */
  private static int skipVariable(String expr, int dollar) {
    int i = dollar + 1;
    if (i < expr.length() && expr.charAt(i) == '{') {
      return expr.indexOf('}', i) + 1;
    }
    while (i < expr.length() && isNameChar(expr.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipSpace(String expr, int i) {
    while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }
}
