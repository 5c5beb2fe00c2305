package org.vitaudit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.testing.Fixture;

/**
 * The engine owns the ONNX Runtime sessions it opens: none outlives an engine that failed to open
 * or a fast H that failed its check, close releases all of them once, and a closed engine says so.
 * Preparing a model opens none. Sessions are counted by the factory that creates every one of them.
 */
class EngineOwnershipTest {
  @Test
  void anEngineThatFailsHalfWayLeavesNoSessionOpen() {
    Fixture f = Fixture.named("timm_vit");
    EngineOptions base = f.engineOptions();
    // G opens and runs before the token layout is checked: a grid larger than the tokens fails
    // there.
    EngineOptions badGrid =
        new EngineOptions(
            base.inputShape(),
            base.labels(),
            base.device(),
            base.cut(),
            Optional.of(new int[] {9, 9}),
            base.maxHBatch(),
            base.hMode(),
            base.intraOpThreads(),
            base.intraOpSpinning());
    int before = SessionFactory.liveSessions();
    assertThatThrownBy(() -> SaliencyEngine.open(f.bundle(), badGrid))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SessionFactory.liveSessions()).isEqualTo(before);
  }

  @Test
  void aFastHThatDisagreesLeavesOnlyGAndTheGenericHOpen() {
    // EVA's rotary embeddings: both fast forms are built, run and rejected by the probe check.
    Fixture eva = Fixture.library("timm_eva.dynamo");
    int before = SessionFactory.liveSessions();
    try (SaliencyEngine engine = SaliencyEngine.open(eva.bundle(), eva.engineOptions())) {
      assertThat(SessionFactory.liveSessions() - before).as("G").isEqualTo(1);
      assertThat(engine.hKind(MaskSpec.DEFAULT)).isEqualTo(HKind.GENERIC);
      assertThat(SessionFactory.liveSessions() - before).as("G and the generic H").isEqualTo(2);
    }
    assertThat(SessionFactory.liveSessions()).isEqualTo(before);
  }

  @Test
  void closeReleasesEverySessionOnceAndAClosedEngineSaysSo() {
    Fixture f = Fixture.named("timm_vit");
    int before = SessionFactory.liveSessions();
    SaliencyEngine engine = SaliencyEngine.open(f.bundle(), f.engineOptions());
    engine.explain(f.expectedInput(), ExplainRequest.DEFAULT);
    ImageSession lent =
        engine.openImageSession(engine.prepared().graph().model(), "the plain model");
    assertThat(lent.run(f.expectedInput(), lent.outputNames()))
        .singleElement()
        .satisfies(o -> assertThat(o.values()).hasSize(engine.facts().classes()));
    assertThat(SessionFactory.liveSessions() - before)
        .as("G, the fast H, a lent image session")
        .isEqualTo(3);
    engine.close();
    engine.close();
    assertThat(SessionFactory.liveSessions()).isEqualTo(before);
    assertThatThrownBy(() -> engine.explain(f.expectedInput(), ExplainRequest.DEFAULT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the saliency engine for timm_vit is closed");
    assertThatThrownBy(() -> lent.run(f.expectedInput(), lent.outputNames()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the saliency engine for timm_vit is closed");
  }

  @Test
  void preparingAModelOpensNoSession() {
    Fixture f = Fixture.named("timm_vit");
    EngineOptions options = f.engineOptions();
    int before = SessionFactory.liveSessions();
    PreparedModel prepared =
        ModelPreparation.prepare(f.bundle(), options.cut(), options.inputShape());
    assertThat(prepared.featureModel().getGraph().getOutputList())
        .extracting(o -> o.getName())
        .contains(prepared.cut().features());
    assertThat(prepared.fastHRefusal()).isEmpty();
    assertThat(SessionFactory.liveSessions()).isEqualTo(before);
  }

  @Test
  void aModelThatPreparationRefusesOpensNoSession() {
    Fixture f = Fixture.named("timm_vit");
    EngineOptions options = f.engineOptions();
    int before = SessionFactory.liveSessions();
    EngineOptions noSuchBlock = options.withCut(options.cut().withBlockFromEnd(99));
    assertThatThrownBy(() -> SaliencyEngine.open(f.bundle(), noSuchBlock))
        .isInstanceOf(ModelNotSupportedException.class);
    assertThat(SessionFactory.liveSessions()).isEqualTo(before);
  }

  @Test
  void aStandaloneImageSessionClosesItsSession() {
    // bench's Classifier is one of these
    Fixture f = Fixture.named("timm_vit");
    int before = SessionFactory.liveSessions();
    ImageSession c =
        ImageSession.of(f.bundle(), new int[] {3, 32, 32}, Device.parse("cpu"), 0, "the model");
    assertThat(SessionFactory.liveSessions() - before).isEqualTo(1);
    c.close();
    c.close();
    assertThat(SessionFactory.liveSessions()).isEqualTo(before);
    assertThatThrownBy(() -> c.run(f.expectedInput(), c.outputNames()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the model is closed");
  }
}
