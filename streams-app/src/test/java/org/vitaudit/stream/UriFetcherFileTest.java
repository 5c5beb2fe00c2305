package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.dlq.DlqReason;

/** {@code file://} URIs: only real paths (links resolved) inside {@code uri.file.allowed.dirs}. */
class UriFetcherFileTest {
  @TempDir Path tmp;

  private UriFetcher fetcher(Path... allowed) {
    return new UriFetcher(Duration.ofSeconds(2), List.of(allowed), 1024);
  }

  private static DlqReason reason(Runnable fetch) {
    try {
      fetch.run();
    } catch (AuditFailure e) {
      return e.dlqReason();
    }
    throw new AssertionError("fetched");
  }

  @Test
  void aFileInsideAnAllowedFolderIsRead() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("images"));
    Path file = Files.write(dir.resolve("a.png"), new byte[] {1, 2, 3});
    assertThat(fetcher(dir).fetch(file.toUri().toString())).containsExactly(1, 2, 3);
  }

  @Test
  void aFileOutsideIsRefusedWhetherOrNotItExists() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("images"));
    Path outside = Files.write(tmp.resolve("secret.png"), new byte[] {9});
    UriFetcher f = fetcher(dir);
    assertThat(reason(() -> f.fetch(outside.toUri().toString())))
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
    assertThat(reason(() -> f.fetch(tmp.resolve("missing.png").toUri().toString())))
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
    assertThat(reason(() -> f.fetch("file://" + dir + "/../secret.png")))
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
    assertThat(reason(() -> fetcher().fetch(outside.toUri().toString())))
        .as("no folders: every file:// refused")
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
  }

  @Test
  void aSymbolicLinkInsideAnAllowedFolderPointingOutsideIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("images"));
    Path secret = Files.write(tmp.resolve("secret.png"), new byte[] {9});
    Path link = Files.createSymbolicLink(dir.resolve("innocent.png"), secret);
    Path linkedDir = Files.createSymbolicLink(dir.resolve("sub"), tmp);
    UriFetcher f = fetcher(dir);
    assertThatThrownBy(() -> f.fetch(link.toUri().toString()))
        .isInstanceOf(AuditFailure.class)
        .hasMessageContaining("resolves to");
    assertThat(reason(() -> f.fetch(link.toUri().toString()))).isEqualTo(DlqReason.URI_NOT_ALLOWED);
    assertThat(reason(() -> f.fetch(linkedDir.resolve("secret.png").toUri().toString())))
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
  }

  @Test
  void linksThatStayInsideAndAnAllowedFolderThatIsItselfALinkAreFine() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Files.write(real.resolve("a.png"), new byte[] {4});
    Path allowed = Files.createSymbolicLink(tmp.resolve("allowed"), real);
    Path alias = Files.createSymbolicLink(real.resolve("alias.png"), real.resolve("a.png"));
    UriFetcher f = fetcher(allowed);
    assertThat(f.fetch(allowed.resolve("a.png").toUri().toString())).containsExactly(4);
    assertThat(f.fetch(allowed.resolve("alias.png").toUri().toString())).containsExactly(4);
    assertThat(alias).exists();
  }

  @Test
  void aMissingFileInsideIsUnreachable() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("images"));
    assertThat(reason(() -> fetcher(dir).fetch(dir.resolve("gone.png").toUri().toString())))
        .isEqualTo(DlqReason.UNREACHABLE_URI);
  }

  @Test
  void onlyRegularFilesAreRead() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("images"));
    Files.createDirectories(dir.resolve("folder"));
    Path fifo = dir.resolve("pipe.png");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assumeTrue(Files.exists(fifo), "mkfifo is not available");
    UriFetcher f = fetcher(dir);
    assertThat(reason(() -> f.fetch(dir.resolve("folder").toUri().toString())))
        .isEqualTo(DlqReason.UNREACHABLE_URI);
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () ->
            assertThat(reason(() -> f.fetch(fifo.toUri().toString())))
                .isEqualTo(DlqReason.UNREACHABLE_URI));
  }
}
