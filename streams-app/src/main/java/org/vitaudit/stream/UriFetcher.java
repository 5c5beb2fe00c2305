package org.vitaudit.stream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.vitaudit.config.AppConfig;
import org.vitaudit.dlq.DlqReason;

/**
 * Fetches the image an {@code ImageEvent} refers to: {@code http(s)://} within a timeout, and
 * {@code file://} only inside configured folders, so a producer cannot make the application read
 * arbitrary files. Never more than the image size limit.
 */
public final class UriFetcher {
  private final HttpClient http;
  private final Duration timeout;
  private final List<Path> allowedDirs;
  private final long maxBytes;

  public UriFetcher(Duration timeout, List<Path> allowedDirs, long maxBytes) {
    this.timeout = timeout;
    this.allowedDirs = allowedDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.maxBytes = maxBytes;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The fetcher the configuration describes (timeout, allowed folders, image size limit). */
  public static UriFetcher forConfig(AppConfig config) {
    return new UriFetcher(
        Duration.ofMillis(config.getInt(AppConfig.URI_FETCH_TIMEOUT_MS_CONFIG)),
        config.getList(AppConfig.URI_FILE_ALLOWED_DIRS_CONFIG).stream().map(Path::of).toList(),
        config.getInt(AppConfig.IMAGE_MAX_BYTES_CONFIG));
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

  private byte[] web(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        if (response.statusCode() / 100 != 2) {
          throw new AuditFailure(
              DlqReason.UNREACHABLE_URI, uri + " answered HTTP " + response.statusCode());
        }
        return bounded(in, uri);
      }
    } catch (IOException e) {
      throw new AuditFailure(
          DlqReason.UNREACHABLE_URI, "cannot fetch " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditFailure(DlqReason.UNREACHABLE_URI, "interrupted fetching " + uri, e);
    }
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
