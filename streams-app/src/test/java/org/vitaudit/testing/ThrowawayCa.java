package org.vitaudit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made for one test and the stores it signs: a broker key store (PKCS12, a
 * key pair for {@code localhost} and {@code 127.0.0.1} signed by the CA, with the chain; the CA's
 * own key is deleted once it has signed) and a trust store holding the CA certificate alone, for
 * clients. Made with the JDK's own {@code keytool}, so nothing is checked in and nothing outlives
 * the test's folder; valid for one day.
 *
 * @param keyStore the broker's key and certificate chain
 * @param keyStorePassword its store and key password
 * @param trustStore the CA certificate, which clients trust
 * @param trustStorePassword its password
 */
public record ThrowawayCa(
    Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword) {

  /** A key pair valid for one day; EC because it is made in milliseconds. */
  private static final List<String> NEW_KEY =
      List.of("-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1");

  /** Creates the CA and the stores in {@code dir}, with these passwords. */
  public static ThrowawayCa create(Path dir, String keyStorePassword, String trustStorePassword) {
    Path broker = dir.resolve("broker.p12");
    Path caCert = dir.resolve("ca.crt");
    Path trust = dir.resolve("truststore.p12");
    String pw = keyStorePassword;
    // keytool signs with a key of the same store: the CA is made there, signs, and is deleted.
    keytool(broker, pw, NEW_KEY, "-alias", "ca", "-dname", "CN=vit-audit test CA", "-ext", "bc:c");
    // Clients check the broker's name (ssl.endpoint.identification.algorithm=https): the SAN.
    keytool(
        broker,
        pw,
        NEW_KEY,
        "-alias",
        "broker",
        "-dname",
        "CN=localhost",
        "-ext",
        "san=dns:localhost,ip:127.0.0.1",
        "-signer",
        "ca");
    keytool(broker, pw, List.of("-exportcert"), "-alias", "ca", "-rfc", "-file", caCert.toString());
    keytool(broker, pw, List.of("-delete"), "-alias", "ca");
    keytool(
        trust,
        trustStorePassword,
        List.of("-importcert", "-noprompt"),
        "-alias",
        "ca",
        "-file",
        caCert.toString());
    return new ThrowawayCa(broker, keyStorePassword, trust, trustStorePassword);
  }

  private static void keytool(Path store, String password, List<String> command, String... args) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // A short-lived tool: the quick compiler only.
    line.add("-J-XX:TieredStopAtLevel=1");
    line.addAll(command);
    line.addAll(List.of(args));
    line.addAll(
        List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password));
    try {
      Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool " + command.get(0) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while keytool ran", e);
    }
  }
}
