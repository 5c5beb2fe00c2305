package org.vitaudit.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.serde.AvroSingleObjectSerde;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.SampleRecords;
import org.vitaudit.testing.TestBroker;

/** {@code tail} on a real broker, bounded by --max and --timeout. */
@KafkaBroker
class TailIntegrationTest {

  private static String threeAudits(TestBroker broker) throws Exception {
    String topic = TestBroker.uniqueName("audit");
    broker.createTopics(1, topic);
    RenderIntegrationTest.produceAudits(broker, topic, "avro",
        InspectTestSupport.audit("right", "images", 0, 0, "class3", true),
        InspectTestSupport.audit("wrong", "images", 0, 1, "class1", false),
        InspectTestSupport.audit("unlabelled", "images", 0, 2, null, null));
    return topic;
  }

  private static CliRun tail(TestBroker broker, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "tail";
    all[1] = "--bootstrap-servers";
    all[2] = broker.bootstrapServers();
    System.arraycopy(args, 0, all, 3, args.length);
    CliRun run = CliRun.of(all);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run;
  }

  @Test
  void printsOneLinePerEventFromTheBeginning(TestBroker broker) throws Exception {
    String topic = threeAudits(broker);
    CliRun run = tail(broker, "--audit-topic", topic, "--from-beginning", "--max", "3", "--timeout", "60");
    assertThat(run.out().lines()).containsExactly(
        "right  class3 0.750  label class3 ✓  peak (1,2)",
        "wrong  class3 0.750  label class1 ✗  peak (1,2)",
        "unlabelled  class3 0.750  no label  peak (1,2)");
  }

  @Test
  void onlyWrongKeepsTheMispredictionsAndTimeoutEndsIt(TestBroker broker) throws Exception {
    String topic = threeAudits(broker);
    long start = System.nanoTime();
    CliRun run = tail(broker, "--audit-topic", topic, "--from-beginning", "--only-wrong", "--timeout", "3");
    assertThat(run.out().lines()).containsExactly("wrong  class3 0.750  label class1 ✗  peak (1,2)");
    assertThat(System.nanoTime() - start).isBetween(TimeUnit.SECONDS.toNanos(3), TimeUnit.SECONDS.toNanos(30));
  }

  @Test
  void withoutFromBeginningOnlyNewRecordsArePrinted(TestBroker broker) throws Exception {
    String topic = threeAudits(broker);
    CompletableFuture<CliRun> tail = CompletableFuture.supplyAsync(() ->
        tail(broker, "--audit-topic", topic, "--max", "1", "--timeout", "60"));
    for (int i = 0; !tail.isDone() && i < 120; i++) {
      RenderIntegrationTest.produceAudits(broker, topic, "avro",
          InspectTestSupport.audit("new-" + i, "images", 0, 3 + i, null, null));
      Thread.sleep(500);
    }
    assertThat(tail.get(10, TimeUnit.SECONDS).out().lines()).singleElement().asString().startsWith("new-");
  }

  @Test
  void followsTheMispredictionsTopicToo(TestBroker broker) throws Exception {
    String topic = TestBroker.uniqueName("mispredictions");
    broker.createTopics(1, topic);
    try (var p = KafkaTestClients.producer(broker, Map.of())) {
      p.send(new ProducerRecord<>(topic, AvroSingleObjectSerde.forClass(
          Misprediction.class).serializer().serialize(topic, SampleRecords.misprediction()))).get();
    }
    CliRun run = tail(broker, "--audit-topic", topic, "--from-beginning", "--only-wrong", "--max", "1",
        "--timeout", "60");
    assertThat(run.out().lines()).containsExactly("evt-42  seven 0.875  label one ✗  peak (1,2)");
  }

  @Test
  void aMissingTopicIsAOneLineError(TestBroker broker) {
    CliRun run = CliRun.of("tail", "--bootstrap-servers", broker.bootstrapServers(), "--audit-topic", "no-such-topic",
        "--timeout", "5");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errorLines()).containsExactly("error: topic no-such-topic does not exist");
  }
}
