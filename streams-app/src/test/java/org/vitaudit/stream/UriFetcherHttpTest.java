package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.HostPatterns;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.stream.UriFetcher.HttpRules;

/**
 * {@code http(s)://} URIs against a local server: off by default, only named hosts, no private
 * addresses unless allowed, the checked address is the one dialled, every redirect re-checked.
 *
 * <p>The server listens on loopback. Where a test needs a host that passes the address rules, its
 * resolver names a TEST-NET address (203.0.113.0/24) and the client's route dials the local server
 * in its place, recording the address it was asked to dial.
 */
class UriFetcherHttpTest {
  private static final byte[] IMAGE = {1, 2, 3, 4, 5};
  private static final String PUBLIC = "203.0.113.7";

  private HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> hostHeaders = Collections.synchronizedList(new ArrayList<>());
  private final List<InetSocketAddress> dialled = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, List<InetAddress>> dns = new HashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(path);
      hostHeaders.add(ex.getRequestHeaders().getFirst("Host"));
      if (path.equals("/redirect")) { // ?n=<hops>&to=<target>: n hops, then to target
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        int n = Integer.parseInt(q.get("n"));
        String to = q.get("to");
        ex.getResponseHeaders().set("Location", n > 1 ? redirect(n - 1, to) : to);
        ex.sendResponseHeaders(302, -1);
      } else if (path.equals("/loop")) {
        ex.getResponseHeaders().set("Location", "/loop");
        ex.sendResponseHeaders(301, -1);
      } else if (path.equals("/big")) {
        ex.sendResponseHeaders(200, 0); // chunked
        try (OutputStream out = ex.getResponseBody()) {
          out.write(new byte[4096]);
        }
      } else if (path.equals("/slow")) {
        sleep();
        ex.sendResponseHeaders(200, IMAGE.length);
        ex.getResponseBody().write(IMAGE);
      } else if (path.equals("/image.png")) {
        ex.sendResponseHeaders(200, IMAGE.length);
        ex.getResponseBody().write(IMAGE);
      } else if (path.equals("/chunked.png")) {
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(IMAGE, 0, 2);
          out.flush();
          out.write(IMAGE, 2, 3);
        }
      } else {
        ex.sendResponseHeaders(404, -1);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    for (String kv : raw.split("&")) {
      String[] p = kv.split("=", 2);
      q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
    }
    return q;
  }

  /** The path of {@code hops} redirects ending at {@code to}. */
  private static String redirect(int hops, String to) {
    return "/redirect?n=" + hops + "&to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
  }

  private static void sleep() {
    try {
      Thread.sleep(3_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private String url(String host, String path) {
    return "http://" + host + ":" + port() + path;
  }

  private void dns(String host, String... addresses) throws UnknownHostException {
    List<InetAddress> list = new ArrayList<>();
    for (String a : addresses) {
      list.add(InetAddress.getByName(a));
    }
    dns.put(host, list);
  }

  private InetAddress[] resolve(String host) throws UnknownHostException {
    if (lookups.incrementAndGet() > 1 && host.equals("rebind.example.com")) {
      return new InetAddress[] {InetAddress.getLoopbackAddress()}; // a rebinding DNS server
    }
    if (host.startsWith("[") || host.matches("[0-9.]+")) {
      return InetAddress.getAllByName(host); // a literal: no lookup
    }
    List<InetAddress> a = dns.get(host.toLowerCase(Locale.ROOT));
    if (a == null) {
      throw new UnknownHostException(host);
    }
    return a.toArray(InetAddress[]::new);
  }

  /** A fetcher whose DNS is {@link #dns} and whose TEST-NET addresses lead to the local server. */
  private UriFetcher fetcher(String hosts, boolean allowPrivate, int maxRedirects) {
    return fetcher(hosts, allowPrivate, maxRedirects, Duration.ofSeconds(2));
  }

  private UriFetcher fetcher(
      String hosts, boolean allowPrivate, int maxRedirects, Duration timeout) {
    HttpGet http =
        new HttpGet(
            timeout,
            1024,
            (SSLSocketFactory) SSLSocketFactory.getDefault(),
            a -> {
              dialled.add(a);
              return a.getAddress().getHostAddress().startsWith("203.0.113.")
                  ? new InetSocketAddress(InetAddress.getLoopbackAddress(), a.getPort())
                  : a;
            });
    HttpRules rules =
        new HttpRules(
            HostPatterns.parse(Arrays.asList(hosts.split(","))), allowPrivate, maxRedirects);
    return new UriFetcher(List.of(), 1024, rules, this::resolve, http);
  }

  private static AuditFailure failure(Runnable fetch) {
    try {
      fetch.run();
    } catch (AuditFailure e) {
      return e;
    }
    throw new AssertionError("fetched");
  }

  private static void assertNotAllowed(UriFetcher f, Stream<String> uris) {
    uris.forEach(
        uri ->
            assertThat(failure(() -> f.fetch(uri)).dlqReason())
                .as(uri)
                .isEqualTo(DlqReason.URI_NOT_ALLOWED));
  }

  @Test
  void httpIsOffByDefault() {
    UriFetcher f = UriFetcher.forConfig(new AppConfig(Map.of()));
    AuditFailure e = failure(() -> f.fetch(url("127.0.0.1", "/image.png")));
    assertThat(e.dlqReason()).isEqualTo(DlqReason.URI_NOT_ALLOWED);
    assertThat(e).hasMessageContaining("uri.http.allowed.hosts is empty");
    assertThat(requests).isEmpty();
  }

  @Test
  void anAllowedHostIsServedFromTheAddressChecked() throws Exception {
    dns("images.example.com", PUBLIC);
    UriFetcher f = fetcher("images.example.com", false, 3);
    assertThat(f.fetch(url("images.example.com", "/image.png"))).containsExactly(IMAGE);
    assertThat(f.fetch(url("IMAGES.example.com", "/chunked.png"))).containsExactly(IMAGE);
    assertThat(hostHeaders)
        .containsOnly("images.example.com:" + port(), "IMAGES.example.com:" + port());
    assertThat(dialled).extracting(a -> a.getAddress().getHostAddress()).containsOnly(PUBLIC);
  }

  @Test
  void wildcardPatternsNameTheHostsUnderADomain() throws Exception {
    dns("a.cdn.example.com", PUBLIC);
    dns("cdn.example.com", PUBLIC);
    UriFetcher f = fetcher("*.cdn.example.com", false, 3);
    assertThat(f.fetch(url("a.cdn.example.com", "/image.png"))).containsExactly(IMAGE);
    assertThat(failure(() -> f.fetch(url("cdn.example.com", "/image.png"))).dlqReason())
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
  }

  @Test
  void aHostNotNamedIsRefusedWithoutALookup() throws Exception {
    dns("evil.example.org", PUBLIC);
    UriFetcher f = fetcher("images.example.com", false, 3);
    for (String host : List.of("evil.example.org", "images.example.com.evil.example.org")) {
      AuditFailure e = failure(() -> f.fetch(url(host, "/image.png")));
      assertThat(e.dlqReason()).isEqualTo(DlqReason.URI_NOT_ALLOWED);
      assertThat(e).hasMessageContaining("not in uri.http.allowed.hosts");
    }
    // The user-info trick: the host is what follows '@'.
    assertThat(
            failure(() -> f.fetch("http://images.example.com@evil.example.org:" + port() + "/"))
                .dlqReason())
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
    assertThat(lookups).hasValue(0);
    assertThat(requests).isEmpty();
  }

  @Test
  void loopbackLinkLocalAndPrivateAddressesAreRefusedUnlessAllowed() throws Exception {
    dns("localhost", "127.0.0.1");
    dns("metadata.example.com", "169.254.169.254");
    dns("intranet.example.com", "10.1.2.3");
    dns("mixed.example.com", PUBLIC, "192.168.1.1");
    dns("v6.example.com", "fd00::1");
    assertNotAllowed(
        fetcher("*", false, 3),
        Stream.of(
                "localhost",
                "127.0.0.1",
                "[::1]",
                "metadata.example.com",
                "intranet.example.com",
                "mixed.example.com",
                "v6.example.com")
            .map(host -> url(host, "/image.png")));
    assertThat(dialled).isEmpty();

    UriFetcher allowing = fetcher("localhost", true, 3);
    assertThat(allowing.fetch(url("localhost", "/image.png"))).containsExactly(IMAGE);
  }

  /**
   * A name that resolves to a public address and then to loopback reaches neither through a second
   * lookup.
   */
  @Test
  void theAddressCheckedIsTheAddressDialled() throws Exception {
    dns("rebind.example.com", PUBLIC);
    UriFetcher f = fetcher("rebind.example.com", false, 3);
    assertThat(f.fetch(url("rebind.example.com", "/image.png"))).containsExactly(IMAGE);
    assertThat(lookups).hasValue(1);
    assertThat(dialled).extracting(a -> a.getAddress().getHostAddress()).containsExactly(PUBLIC);
  }

  @Test
  void aRedirectToARefusedAddressOrHostOrSchemeIsRefused() throws Exception {
    dns("images.example.com", PUBLIC);
    dns("metadata.example.com", "169.254.169.254");
    assertNotAllowed(
        fetcher("images.example.com,metadata.example.com", false, 3),
        Stream.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://metadata.example.com/latest/meta-data/",
                "http://127.0.0.1:" + port() + "/image.png",
                "http://other.example.com/image.png",
                "file:///etc/passwd")
            .map(target -> url("images.example.com", redirect(1, target))));
    assertThat(requests).containsOnly("/redirect");
    assertThat(dialled).extracting(a -> a.getAddress().getHostAddress()).containsOnly(PUBLIC);
  }

  @Test
  void redirectsAreFollowedUpToTheLimit() throws Exception {
    dns("images.example.com", PUBLIC);
    UriFetcher f = fetcher("images.example.com", false, 3);
    assertThat(f.fetch(url("images.example.com", redirect(3, "/image.png"))))
        .containsExactly(IMAGE);

    requests.clear();
    AuditFailure e = failure(() -> f.fetch(url("images.example.com", redirect(4, "/image.png"))));
    assertThat(e.dlqReason()).isEqualTo(DlqReason.URI_NOT_ALLOWED);
    assertThat(e).hasMessageContaining("uri.http.max.redirects");
    assertThat(requests).hasSize(4).noneMatch(p -> p.equals("/image.png"));

    requests.clear();
    assertThat(failure(() -> f.fetch(url("images.example.com", "/loop"))).dlqReason())
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
    assertThat(requests).hasSize(4);

    UriFetcher none = fetcher("images.example.com", false, 0);
    assertThat(
            failure(() -> none.fetch(url("images.example.com", redirect(1, "/image.png"))))
                .dlqReason())
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
  }

  @Test
  void errorsTimeoutsAndOversizedBodiesAreDeadLettered() throws Exception {
    dns("images.example.com", PUBLIC);
    UriFetcher f = fetcher("images.example.com", false, 3, Duration.ofMillis(500));
    assertThat(failure(() -> f.fetch(url("images.example.com", "/missing.png"))).dlqReason())
        .isEqualTo(DlqReason.UNREACHABLE_URI);
    assertThat(failure(() -> f.fetch(url("images.example.com", "/big"))).dlqReason())
        .isEqualTo(DlqReason.IMAGE_TOO_LARGE);
    long start = System.nanoTime();
    assertThat(failure(() -> f.fetch(url("images.example.com", "/slow"))).dlqReason())
        .isEqualTo(DlqReason.UNREACHABLE_URI);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    assertThat(failure(() -> f.fetch(url("unknown.example.com", "/x"))).dlqReason())
        .as("not named")
        .isEqualTo(DlqReason.URI_NOT_ALLOWED);
    UriFetcher any = fetcher("*", false, 3);
    assertThat(failure(() -> any.fetch(url("unknown.example.com", "/x"))).dlqReason())
        .as("no such host")
        .isEqualTo(DlqReason.UNREACHABLE_URI);
  }
}
