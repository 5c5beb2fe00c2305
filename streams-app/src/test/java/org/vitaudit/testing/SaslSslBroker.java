package org.vitaudit.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.vitaudit.kafka.EmbeddedKafka;

/**
 * The in-process KRaft broker with its one broker listener on SASL_SSL: TLS with a certificate from
 * a {@link ThrowawayCa}, and SCRAM-SHA-512 logins, the set-up of a managed production cluster.
 *
 * <p>SCRAM users live in the cluster's metadata, so nobody can log in with SCRAM before a first
 * user is created, and Kafka 4.2's admin client cannot create them through the controller listener.
 * The listener therefore also offers PLAIN for one user, the broker itself, whose password is in
 * the broker's own settings: the broker uses it for its requests to itself (transaction markers)
 * and this class to create the SCRAM users. The controller listener stays plain text on localhost.
 * No authorizer: a user that logs in may do anything, as in a cluster without ACLs.
 */
public final class SaslSslBroker implements TestBroker {

  public static final String MECHANISM = ScramMechanism.SCRAM_SHA_512.mechanismName();

  /** What the broker logs in to itself with. */
  private static final String BROKER_MECHANISM = "PLAIN";

  /** The test kit's name for the broker listener. */
  private static final String LISTENER = "EXTERNAL";

  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);

  private final EmbeddedKafka kafka;
  private final ThrowawayCa ca;
  private final String user;
  private final String password;

  private SaslSslBroker(EmbeddedKafka kafka, ThrowawayCa ca, String user, String password) {
    this.kafka = kafka;
    this.ca = ca;
    this.user = user;
    this.password = password;
  }

  /**
   * Starts the broker with the certificate of {@code ca} and waits until {@code user} can log in
   * with {@code password}.
   */
  public static SaslSslBroker start(ThrowawayCa ca, String user, String password) {
    String brokerPassword = "broker-" + UUID.randomUUID();
    String listener = "listener.name." + LISTENER.toLowerCase(Locale.ROOT) + ".";
    Map<String, String> settings = new HashMap<>();
    settings.put("listener.security.protocol.map", LISTENER + ":SASL_SSL,CONTROLLER:PLAINTEXT");
    settings.put("sasl.enabled.mechanisms", MECHANISM + "," + BROKER_MECHANISM);
    settings.put("sasl.mechanism.inter.broker.protocol", BROKER_MECHANISM);
    // The PLAIN login module is both sides: the broker's own login and the one user it accepts.
    settings.put(
        listener + BROKER_MECHANISM.toLowerCase(Locale.ROOT) + "." + SaslConfigs.SASL_JAAS_CONFIG,
        PlainLoginModule.class.getName()
            + " required username=\"broker\" password=\""
            + brokerPassword
            + "\" user_broker=\""
            + brokerPassword
            + "\";");
    settings.put(
        listener + MECHANISM.toLowerCase(Locale.ROOT) + "." + SaslConfigs.SASL_JAAS_CONFIG,
        ScramLoginModule.class.getName() + " required;");
    settings.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
    settings.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, ca.keyStore().toString());
    settings.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, ca.keyStorePassword());
    // The broker is a client of itself (transaction markers): it trusts the same CA.
    settings.putAll(trustSettings(ca));
    EmbeddedKafka kafka = EmbeddedKafka.start(settings);
    SaslSslBroker broker = new SaslSslBroker(kafka, ca, user, password);
    try {
      Map<String, Object> asBroker = new HashMap<>(broker.clientProperties());
      asBroker.put(SaslConfigs.SASL_MECHANISM, BROKER_MECHANISM);
      asBroker.put(
          SaslConfigs.SASL_JAAS_CONFIG,
          PlainLoginModule.class.getName()
              + " required username=\"broker\" password=\""
              + brokerPassword
              + "\";");
      createScramUser(asBroker, user, password);
      broker.awaitLogin();
      return broker;
    } catch (RuntimeException | Error e) {
      kafka.close();
      throw e;
    }
  }

  /** The JAAS line a SCRAM client logs in with. */
  private static String jaasConfig(String user, String password) {
    return ScramLoginModule.class.getName()
        + " required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static Map<String, String> trustSettings(ThrowawayCa ca) {
    return Map.of(
        SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12",
        SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.trustStore().toString(),
        SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, ca.trustStorePassword());
  }

  private static void createScramUser(Map<String, Object> admin, String user, String password) {
    try (Admin a = Admin.create(admin)) {
      a.alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create the SCRAM user: " + e, e);
    }
  }

  /** The credentials reach the broker's cache shortly after the controller stored them. */
  private void awaitLogin() {
    long deadline = System.nanoTime() + LOGIN_TIMEOUT.toNanos();
    while (true) {
      try (Admin admin = Admin.create(clientProperties())) {
        admin.describeCluster().nodes().get(LOGIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof SaslAuthenticationException)
            || System.nanoTime() > deadline) {
          throw new IllegalStateException("Cannot log in to the SASL_SSL broker: " + e, e);
        }
      } catch (Exception e) {
        throw new IllegalStateException("Cannot log in to the SASL_SSL broker: " + e, e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  @Override
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  @Override
  public Kind kind() {
    return Kind.EMBEDDED;
  }

  /** {@code bootstrap.servers}, SASL_SSL, SCRAM-SHA-512 as the client user, and the CA. */
  @Override
  public Map<String, Object> clientProperties() {
    Map<String, Object> p = new HashMap<>(clientSettings(user, password));
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  /**
   * The Kafka client settings (no {@code bootstrap.servers}) that log in as {@code user}: what an
   * application's {@code kafka.*} keys say, prefix removed.
   */
  public Map<String, String> clientSettings(String user, String password) {
    Map<String, String> p = new HashMap<>(trustSettings(ca));
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_SSL.name);
    p.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
    p.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user, password));
    return p;
  }

  @Override
  public void close() {
    kafka.close();
  }
}
