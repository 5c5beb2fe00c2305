package org.vitaudit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.ConfigLoader;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.TestBroker;

@KafkaBroker
class StreamsProbesIntegrationTest {

  @TempDir Path stateDir;

  @Test
  void readyOnlyWhileRunningAndStreamsMetricsAreScraped(TestBroker broker) throws Exception {
    String in = TestBroker.uniqueName("probe-in");
    String out = TestBroker.uniqueName("probe-out");
    broker.createTopics(1, in, out);
    AppConfig config =
        new ConfigLoader()
            .flag(AppConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), "test")
            .assignments(
                List.of(
                    "application.id=" + TestBroker.uniqueName("probe"),
                    "kafka.state.dir=" + stateDir))
            .load();
    Properties props = config.streamsProperties();
    StreamsBuilder b = new StreamsBuilder();
    b.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
        .to(out, Produced.with(Serdes.String(), Serdes.String()));
    HttpClient http = HttpClient.newHttpClient();

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (KafkaStreams streams = new KafkaStreams(b.build(), props);
        AutoCloseable bound = StreamsProbes.bindMetrics(streams, registry);
        AdminHttpServer server =
            AdminHttpServer.start(0, StreamsProbes.runningCheck(streams), registry)) {
      URI ready = URI.create("http://localhost:" + server.port() + "/health/ready");
      assertThat(status(http, ready)).as("before start").isEqualTo(503);

      streams.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(status(http, ready)).as("while RUNNING").isEqualTo(200);

      String metrics =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + server.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics).contains("kafka_stream_", "kafka_consumer_", "kafka_producer_");

      streams.close(Duration.ofSeconds(30));
      assertThat(status(http, ready)).as("after close").isEqualTo(503);
    } finally {
      registry.close();
    }
  }

  private static int status(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
