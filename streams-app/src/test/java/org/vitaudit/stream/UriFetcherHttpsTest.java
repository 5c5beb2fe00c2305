package org.vitaudit.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.config.HostPatterns;
import org.vitaudit.dlq.DlqReason;
import org.vitaudit.stream.UriFetcher.HttpRules;

/**
 * {@code https://} while dialling the checked address: the TLS server name and the certificate
 * check still use the URI's host, so a certificate for another name is refused.
 */
class UriFetcherHttpsTest {
  private static final byte[] IMAGE = {7, 8, 9};
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir Path tmp;
  private HttpsServer server;
  private SSLContext tls;

  @BeforeEach
  void start() throws Exception {
    Path store = tmp.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-dname",
                "CN=images.example.com",
                "-ext",
                "SAN=dns:images.example.com",
                "-validity",
                "2")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            ex.sendResponseHeaders(200, IMAGE.length);
            ex.getResponseBody().write(IMAGE);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private UriFetcher fetcher() {
    HttpGet http =
        new HttpGet(
            Duration.ofSeconds(5),
            1024,
            tls.getSocketFactory(),
            a -> new InetSocketAddress(InetAddress.getLoopbackAddress(), a.getPort()));
    HttpRules rules = new HttpRules(HostPatterns.parse(List.of("*.example.com")), false, 3);
    return new UriFetcher(List.of(), 1024, rules, UriFetcherHttpsTest::resolve, http);
  }

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    return new InetAddress[] {InetAddress.getByName("203.0.113.9")};
  }

  private String url(String host) {
    return "https://" + host + ":" + server.getAddress().getPort() + "/image.png";
  }

  @Test
  void theCertificateIsCheckedAgainstTheUrisHost() {
    assertThat(fetcher().fetch(url("images.example.com"))).containsExactly(IMAGE);
    try {
      fetcher().fetch(url("other.example.com"));
      throw new AssertionError("fetched with a certificate for another host");
    } catch (AuditFailure e) {
      assertThat(e.dlqReason()).isEqualTo(DlqReason.UNREACHABLE_URI);
      assertThat(e)
          .hasMessageContaining("No subject alternative DNS name matching other.example.com");
    }
  }
}
