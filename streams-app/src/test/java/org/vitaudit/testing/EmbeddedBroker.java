package org.vitaudit.testing;

import org.vitaudit.kafka.EmbeddedKafka;

/** The in-process KRaft broker as a {@link TestBroker}. */
final class EmbeddedBroker implements TestBroker {

  private final EmbeddedKafka kafka = EmbeddedKafka.start();

  @Override
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  @Override
  public Kind kind() {
    return Kind.EMBEDDED;
  }

  @Override
  public void close() {
    kafka.close();
  }
}
