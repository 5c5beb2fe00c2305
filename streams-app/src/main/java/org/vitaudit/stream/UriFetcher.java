package org.vitaudit.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.HostPatterns;
import org.vitaudit.dlq.DlqReason;

/**
 * Fetches the image an {@code ImageEvent} refers to, under rules that keep a producer from using
 * the application to reach what it should not:
 *
 * <ul>
 *   <li>{@code file://} only where the real path (symbolic links resolved) lies inside {@code
 *       uri.file.allowed.dirs};
 *   <li>{@code http(s)://} only to hosts {@code uri.http.allowed.hosts} names (none by default),
 *       never to a loopback, link-local, private, unspecified or multicast address unless {@code
 *       uri.http.allow.private}, connecting to the very address checked, and following at most
 *       {@code uri.http.max.redirects} redirects, each checked the same way;
 * </ul>
 *
 * Never more than the image size limit. A refusal is {@link DlqReason#URI_NOT_ALLOWED}.
 */
public final class UriFetcher {
  /** Names to addresses; {@link InetAddress#getAllByName} but in tests. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** The http(s) rules: the hosts named, whether private addresses are allowed, redirects. */
  public record HttpRules(HostPatterns hosts, boolean allowPrivate, int maxRedirects) {
    /** No http(s) fetching at all: the default. */
    public static final HttpRules OFF = new HttpRules(HostPatterns.parse(List.of()), false, 0);
  }

  private final List<Path> allowedDirs;
  private final long maxBytes;
  private final HttpRules rules;
  private final HttpGet http;
  private final Resolver resolver;

  /** A fetcher of {@code file://} URIs only: every http(s) URI is refused. */
  public UriFetcher(Duration timeout, List<Path> allowedDirs, long maxBytes) {
    this(timeout, allowedDirs, maxBytes, HttpRules.OFF);
  }

  public UriFetcher(Duration timeout, List<Path> allowedDirs, long maxBytes, HttpRules rules) {
    this(allowedDirs, maxBytes, rules, InetAddress::getAllByName, new HttpGet(timeout, maxBytes));
  }

  UriFetcher(
      List<Path> allowedDirs, long maxBytes, HttpRules rules, Resolver resolver, HttpGet http) {
    this.allowedDirs = allowedDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.maxBytes = maxBytes;
    this.rules = rules;
    this.resolver = resolver;
    this.http = http;
  }

  /** The fetcher the configuration describes (timeout, allowed folders and hosts, size limit). */
  public static UriFetcher forConfig(AppConfig config) {
    return new UriFetcher(
        Duration.ofMillis(config.getInt(AppConfig.URI_FETCH_TIMEOUT_MS_CONFIG)),
        config.getList(AppConfig.URI_FILE_ALLOWED_DIRS_CONFIG).stream().map(Path::of).toList(),
        config.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG),
        new HttpRules(
            HostPatterns.parse(config.getList(AppConfig.URI_HTTP_ALLOWED_HOSTS_CONFIG)),
            config.getBoolean(AppConfig.URI_HTTP_ALLOW_PRIVATE_CONFIG),
            config.getInt(AppConfig.URI_HTTP_MAX_REDIRECTS_CONFIG)));
  }

  public byte[] fetch(String uriText) {
    URI uri;
    try {
      uri = URI.create(uriText.trim());
    } catch (IllegalArgumentException e) {
      throw new AuditFailure(DlqReason.UNREACHABLE_URI, "not a URI: " + uriText, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> file(uri);
      case "http", "https" -> web(uri);
      default ->
          throw new AuditFailure(
              DlqReason.URI_NOT_ALLOWED,
              "unsupported URI scheme '" + scheme + "' (file, http and https are supported)");
    };
  }

  /**
   * Reads a file inside {@code uri.file.allowed.dirs}. The check is on the real path (symbolic
   * links resolved) against the allowed folders' real paths, and the real path is what is opened,
   * so a link inside an allowed folder cannot lead outside it. A path outside the folders is
   * refused before the file system is asked whether it exists.
   */
  private byte[] file(URI uri) {
    Path path;
    try {
      path = Path.of(uri).toAbsolutePath().normalize();
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      throw new AuditFailure(DlqReason.UNREACHABLE_URI, "bad file URI " + uri, e);
    }
    if (allowedDirs.stream().noneMatch(path::startsWith)) {
      throw notAllowed(path + " is outside uri.file.allowed.dirs");
    }
    try {
      Path real = path.toRealPath();
      if (allowedDirs.stream()
          .map(UriFetcher::realOrNull)
          .noneMatch(d -> d != null && real.startsWith(d))) {
        throw notAllowed(path + " resolves to " + real + ", outside uri.file.allowed.dirs");
      }
      if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) { // a FIFO would block the thread
        throw new AuditFailure(DlqReason.UNREACHABLE_URI, path + " is not a regular file");
      }
      try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
        return bounded(in, uri);
      }
    } catch (IOException e) {
      throw new AuditFailure(
          DlqReason.UNREACHABLE_URI, "cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private AuditFailure notAllowed(String why) {
    return new AuditFailure(
        DlqReason.URI_NOT_ALLOWED,
        why + (allowedDirs.isEmpty() ? " (empty: file:// URIs are refused)" : " " + allowedDirs));
  }

  /** A folder's real path, or null while it does not exist (nothing can be inside it then). */
  private static Path realOrNull(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  /** GETs the URI, and each redirect, from an address checked against the rules. */
  private byte[] web(URI first) {
    URI uri = first;
    for (int redirects = 0; ; redirects++) {
      HttpGet.Response response = get(uri);
      if (response.status() / 100 == 2) {
        return response.body();
      }
      if (response.status() / 100 != 3 || response.location() == null) {
        throw new AuditFailure(
            DlqReason.UNREACHABLE_URI, uri + " answered HTTP " + response.status());
      }
      if (redirects == rules.maxRedirects()) {
        throw new AuditFailure(
            DlqReason.URI_NOT_ALLOWED,
            first + " redirects more than uri.http.max.redirects (" + rules.maxRedirects() + ")");
      }
      uri = redirect(uri, response.location());
    }
  }

  private static URI redirect(URI from, String location) {
    URI next;
    try {
      next = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new AuditFailure(
          DlqReason.UNREACHABLE_URI, from + " redirects to a bad URI: " + location, e);
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new AuditFailure(
          DlqReason.URI_NOT_ALLOWED, from + " redirects to " + next + ", not http(s)");
    }
    return next;
  }

  /** One request: the host named, its addresses allowed, then a connection to one of them. */
  private HttpGet.Response get(URI uri) {
    String host = uri.getHost();
    if (rules.hosts().isEmpty()) {
      throw new AuditFailure(
          DlqReason.URI_NOT_ALLOWED,
          uri + ": http(s) URIs are refused while uri.http.allowed.hosts is empty");
    }
    if (!rules.hosts().matches(host)) {
      throw new AuditFailure(
          DlqReason.URI_NOT_ALLOWED,
          uri + ": host " + host + " is not in uri.http.allowed.hosts " + rules.hosts());
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new AuditFailure(DlqReason.UNREACHABLE_URI, "cannot resolve " + host, e);
    }
    if (!rules.allowPrivate()) {
      for (InetAddress a : addresses) {
        AddressRules.refusal(a)
            .ifPresent(
                why -> {
                  throw new AuditFailure(
                      DlqReason.URI_NOT_ALLOWED,
                      uri
                          + ": "
                          + host
                          + " resolves to "
                          + a.getHostAddress()
                          + ", a "
                          + why
                          + " address (uri.http.allow.private is false)");
                });
      }
    }
    IOException last = null;
    for (InetAddress a : addresses) { // the addresses checked, never a new lookup
      try {
        return http.get(uri, a);
      } catch (HttpGet.TooLarge e) {
        throw new AuditFailure(
            DlqReason.IMAGE_TOO_LARGE,
            uri + " holds more than the limit of " + maxBytes + " bytes");
      } catch (ConnectException | NoRouteToHostException e) {
        last = e; // try the next address
      } catch (IOException e) {
        last = e;
        break;
      }
    }
    throw new AuditFailure(
        DlqReason.UNREACHABLE_URI,
        "cannot fetch " + uri + ": " + (last == null ? "no address" : last.getMessage()),
        last);
  }

  private byte[] bounded(InputStream in, URI uri) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (bytes.length > maxBytes) {
      throw new AuditFailure(
          DlqReason.IMAGE_TOO_LARGE, uri + " holds more than the limit of " + maxBytes + " bytes");
    }
    return bytes;
  }
}
