package org.vitaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.EngineSettings;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.testing.KafkaBroker;
import org.vitaudit.testing.TestBroker;

/**
 * Short soaks, as CI can afford them (the full counts are `bench --soak 20000` and `bench
 * --soak-engine 10000`, docs/reliability.md): every event comes out, and the heap left after a full
 * collection does not grow with the work. The bounds are loose on purpose (a leak of one audit
 * record per event, about 1 KiB, would already show as 1 MiB per 1,000): memory noise on a shared
 * machine is a few MiB.
 */
@KafkaBroker
class SoakBenchIntegrationTest {
  private static final double HEAP_MIB_PER_1000 = 4.0;
  private static final double STREAM_HEAP_GROWTH_MIB = 32.0;

  @Test
  void theStreamKeepsItsHeapAcrossThousandsOfEvents(TestBroker broker) throws Exception {
    SoakResult r =
        SoakBench.stream(Map.of(), Optional.of(broker.bootstrapServers()), 1000, 250, done -> {});
    // Each chunk of 250 scenes brings one corrupt event on top, dead-lettered: 251 outcomes a
    // chunk.
    assertThat(r.samples())
        .extracting(SoakResult.Sample::count)
        .containsExactly(251L, 502L, 753L, 1004L);
    double growth = r.samples().get(3).heapMiB() - r.samples().get(0).heapMiB();
    assertThat(growth).isLessThan(STREAM_HEAP_GROWTH_MIB);
  }

  @Test
  void theEngineKeepsItsHeapAndSessionsAcrossReopens() {
    AppConfig config = new AppConfig(Map.of());
    ModelSetup setup = EngineSettings.setup(config);
    List<float[]> inputs =
        BenchInputs.tensors(BenchInputs.scenes(4, new Preprocessor(setup.preprocessing())));
    SoakResult r =
        SoakBench.engine(
            setup,
            EngineSettings.engineOptions(config, setup),
            EngineSettings.request(config, List.of()),
            inputs,
            1600,
            200,
            200,
            done -> {});
    assertThat(r.samples()).hasSize(8);
    assertThat(r.heapSlope()).isLessThan(HEAP_MIB_PER_1000);
  }
}
