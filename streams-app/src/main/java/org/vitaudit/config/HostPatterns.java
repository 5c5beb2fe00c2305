package org.vitaudit.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts {@code uri.http.allowed.hosts} names: {@code images.example.com} (that host only),
 * {@code *.cdn.example.com} (any name under cdn.example.com, not cdn.example.com itself) or {@code
 * *} (any host). Case does not matter, nor one trailing dot. Matching a pattern is only the first
 * rule: the addresses the host resolves to are checked too.
 */
public final class HostPatterns {
  /** The accepted syntax, in words, for the setting's validator. */
  public static final String SYNTAX =
      "host names (images.example.com), *.domain (any host under it) or *, comma-separated";

  private static final Pattern NAME =
      Pattern.compile("(\\*\\.)?[a-z0-9_-]+(\\.[a-z0-9_-]+)*|\\[[0-9a-f:.]+\\]|\\*");

  private final List<String> patterns;

  private HostPatterns(List<String> patterns) {
    this.patterns = patterns;
  }

  /**
   * The patterns of a list setting.
   *
   * @throws IllegalArgumentException naming the first entry that is not a host pattern
   */
  public static HostPatterns parse(List<String> entries) {
    List<String> out =
        entries.stream()
            .map(String::trim)
            .filter(e -> !e.isEmpty())
            .map(HostPatterns::canonical)
            .toList();
    for (String p : out) {
      if (!NAME.matcher(p).matches()) {
        throw new IllegalArgumentException("'" + p + "' is not a host pattern");
      }
    }
    return new HostPatterns(out);
  }

  /** No pattern: every host is refused. */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** Whether {@code host} (a URI's host, brackets kept around an IPv6 literal) is named. */
  public boolean matches(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = canonical(host);
    return patterns.stream()
        .anyMatch(
            p ->
                p.equals("*")
                    || p.equals(h)
                    || (p.startsWith("*.")
                        && h.endsWith(p.substring(1))
                        && h.length() > p.length() - 1));
  }

  private static String canonical(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  @Override
  public String toString() {
    return patterns.toString();
  }
}
