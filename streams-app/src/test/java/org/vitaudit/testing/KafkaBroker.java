package org.vitaudit.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an integration test that needs a Kafka broker: declare a {@link TestBroker} parameter on a
 * test, lifecycle method or constructor to receive it. Tagged {@code integration}, so {@code
 * -DexcludedGroups=integration} skips these in a quick unit run.
 *
 * <pre>{@code
 * @KafkaBroker
 * class MyIT {
 *   @Test void roundTrip(TestBroker broker) {
 *     String topic = TestBroker.uniqueName("images");
 *     broker.createTopics(1, topic);
 *     ... broker.bootstrapServers() ...
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
@ExtendWith(KafkaBrokerExtension.class)
public @interface KafkaBroker {}
