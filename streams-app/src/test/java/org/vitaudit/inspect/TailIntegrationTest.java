package org.vitaudit.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.vitaudit.cli.Main;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.serde.AvroSingleObjectSerde;
import org.vitaudit.testing.CliRun;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.KafkaTestClients;
import org.vitaudit.testing.SampleRecords;
import org.vitaudit.testing.TestBroker;
import picocli.CommandLine;

/** {@code tail} on a real broker, bounded by --max and --timeout. */
@KafkaBroker
class TailIntegrationTest {

  private static String threeAudits(TestBroker broker) throws Exception {
    String topic = TestBroker.uniqueName("audit");
    broker.createTopics(1, topic);
    RenderIntegrationTest.produceAudits(
        broker,
        topic,
        "avro",
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
    CliRun run =
        tail(broker, "--audit-topic", topic, "--from-beginning", "--max", "3", "--timeout", "60");
    assertThat(run.out().lines())
        .containsExactly(
            "right  class3 0.750  label class3 ✓  peak (1,2)",
            "wrong  class3 0.750  label class1 ✗  peak (1,2)",
            "unlabelled  class3 0.750  no label  peak (1,2)");
  }

  @Test
  void onlyWrongKeepsTheMispredictionsAndTimeoutEndsIt(TestBroker broker) throws Exception {
    String topic = threeAudits(broker);
    // Runs in-process with its output readable while it runs; no --max, so only --timeout can end
    // it.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    long start = System.nanoTime();
    CompletableFuture<Integer> tail =
        CompletableFuture.supplyAsync(
            () ->
                cli.execute(
                    "tail",
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--audit-topic",
                    topic,
                    "--from-beginning",
                    "--only-wrong",
                    "--timeout",
                    "6"));
    String wrong = "wrong  class3 0.750  label class1 ✗  peak (1,2)";
    awaitLine(out, wrong, tail);
    // Past the end of the topic it keeps following: records produced now are still read and
    // filtered.
    RenderIntegrationTest.produceAudits(
        broker,
        topic,
        "avro",
        InspectTestSupport.audit("late-right", "images", 0, 3, "class3", true),
        InspectTestSupport.audit("late-wrong", "images", 0, 4, "class2", false));
    String lateWrong = "late-wrong  class3 0.750  label class2 ✗  peak (1,2)";
    awaitLine(out, lateWrong, tail);
    // And the timeout ends it, not before the 6 s it was given (waited for with a bound, not slept
    // for).
    assertThat(tail.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(System.nanoTime() - start)
        .as("ran until its --timeout")
        .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(6));
    assertThat(out.toString().lines()).containsExactly(wrong, lateWrong);
  }

  /**
   * Polls the output of a running tail until {@code line} appears; fails if the tail ends first or
   * after 30 s.
   */
  private static void awaitLine(StringWriter out, String line, CompletableFuture<Integer> tail)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!out.toString().lines().toList().contains(line)) {
      assertThat(tail.isDone())
          .as("tail ended before printing '%s'; it printed: %s", line, out)
          .isFalse();
      assertThat(System.nanoTime())
          .as("'%s' within 30 s; printed: %s", line, out)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(tail.isDone()).as("tail still running after printing '%s'", line).isFalse();
  }

  @Test
  void withoutFromBeginningOnlyNewRecordsArePrinted(TestBroker broker) throws Exception {
    String topic = threeAudits(broker);
    CompletableFuture<CliRun> tail =
        CompletableFuture.supplyAsync(
            () -> tail(broker, "--audit-topic", topic, "--max", "1", "--timeout", "60"));
    for (int i = 0; !tail.isDone() && i < 120; i++) {
      RenderIntegrationTest.produceAudits(
          broker,
          topic,
          "avro",
          InspectTestSupport.audit("new-" + i, "images", 0, 3 + i, null, null));
      Thread.sleep(500);
    }
    assertThat(tail.get(10, TimeUnit.SECONDS).out().lines())
        .singleElement()
        .asString()
        .startsWith("new-");
  }

  @Test
  void followsTheMispredictionsTopicToo(TestBroker broker) throws Exception {
    String topic = TestBroker.uniqueName("mispredictions");
    broker.createTopics(1, topic);
    try (var p = KafkaTestClients.producer(broker, Map.of())) {
      p.send(
              new ProducerRecord<>(
                  topic,
                  AvroSingleObjectSerde.forClass(Misprediction.class)
                      .serializer()
                      .serialize(topic, SampleRecords.misprediction())))
          .get();
    }
    CliRun run =
        tail(
            broker,
            "--audit-topic",
            topic,
            "--from-beginning",
            "--only-wrong",
            "--max",
            "1",
            "--timeout",
            "60");
    assertThat(run.out().lines()).containsExactly("evt-42  seven 0.875  label one ✗  peak (1,2)");
  }

  @Test
  void aMissingTopicIsAOneLineError(TestBroker broker) {
    CliRun run =
        CliRun.of(
            "tail",
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--audit-topic",
            "no-such-topic",
            "--timeout",
            "5");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errorLines()).containsExactly("error: topic no-such-topic does not exist");
  }
}
