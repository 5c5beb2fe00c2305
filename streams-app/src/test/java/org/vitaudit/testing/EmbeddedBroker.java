package org.vitaudit.testing;

import org.vitaudit.kafka.EmbeddedKafka;

/**
 * The in-process KRaft broker as a {@link TestBroker}: the run's shared one, which closing stops,
 * or a test's own ({@link TestBroker#over}), which the test stops itself.
 */
final class EmbeddedBroker implements TestBroker {

  private final EmbeddedKafka kafka;
  private final boolean owned;

  /**
   * @param owned whether {@link #close} stops the broker
   */
  EmbeddedBroker(EmbeddedKafka kafka, boolean owned) {
    this.kafka = kafka;
    this.owned = owned;
  }

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
    if (owned) {
      kafka.close();
    }
  }
}
