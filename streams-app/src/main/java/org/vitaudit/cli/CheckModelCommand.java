package org.vitaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vitaudit.config.AppConfig;
import org.vitaudit.config.EngineSettings;
import org.vitaudit.engine.EngineException;
import org.vitaudit.engine.HKind;
import org.vitaudit.engine.HeadKind;
import org.vitaudit.engine.MaskSpec;
import org.vitaudit.engine.ModelCheck;
import org.vitaudit.engine.ModelChecker;
import org.vitaudit.engine.ModelFacts;
import org.vitaudit.engine.SaliencyEngine;
import org.vitaudit.model.ModelNotSupportedException;
import org.vitaudit.model.ModelSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code check-model}: what the engine finds in a model and decides, before any image. */
@Command(
    name = "check-model",
    mixinStandardHelpOptions = true,
    description = {
      "Reports what the engine finds in a model and decides about it, without explaining an image:",
      "input, token grid, prefix tokens, cut node, head kind, external data files, and which H"
          + " serves it (with the reason where one cannot).",
      "Exit code 0 where explain will run, 3 (with the reason) where the model is refused."
    })
final class CheckModelCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin SettingsOptions settings;
  @Mixin ModelOptions model;
  @Mixin ClassNamesOption classNames;
  @Mixin SaliencyOptions saliency;

  @Option(names = "--json", description = "One JSON object on stdout instead of text.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelCheck check;
    try {
      AppConfig config = settings.load(model, classNames, saliency);
      ModelSetup setup = EngineSettings.setup(config);
      try (SaliencyEngine engine = EngineSettings.open(config, setup)) {
        MaskSpec masks = EngineSettings.masks(config);
        check = ModelChecker.check(engine, setup.bundle(), masks);
      }
    } catch (ModelNotSupportedException | EngineException e) {
      return refused(out, e.getMessage());
    }
    if (json) {
      out.println(JSON.writeValueAsString(toJson(check)));
    } else {
      printText(out, check);
    }
    out.flush();
    return 0;
  }

  private int refused(PrintWriter out, String reason) throws Exception {
    String line = reason == null ? "unknown reason" : reason.lines().findFirst().orElse(reason);
    if (json) {
      ObjectNode o = JSON.createObjectNode().put("serves", false).put("reason", line);
      out.println(JSON.writeValueAsString(o));
      out.flush();
    } else {
      out.flush();
      spec.commandLine().getErr().println("refused: " + line);
      spec.commandLine().getErr().flush();
    }
    return OneLineFailures.EXIT_MODEL_REFUSED;
  }

  private static void printText(PrintWriter out, ModelCheck c) {
    ModelFacts f = c.facts();
    row(out, "model", f.name() + " (sha256 " + f.sha256().substring(0, 12) + ")");
    row(out, "input", c.input() + " [" + String.join(" x ", c.inputShape()) + "]");
    row(
        out,
        "weights",
        c.externalData().isEmpty()
            ? "inside the .onnx"
            : "external: " + String.join(", ", c.externalData()));
    row(out, "cut", f.cutNode() + ", residual " + f.residual().cliName());
    row(
        out,
        "tokens",
        f.layout().tokens()
            + " = "
            + f.layout().prefix()
            + " prefix"
            + (c.prefixKinds().isEmpty() ? "" : " (" + String.join(", ", c.prefixKinds()) + ")")
            + " + "
            + f.layout().gridHeight()
            + "x"
            + f.layout().gridWidth()
            + " grid, dim "
            + f.dim());
    row(
        out,
        "head",
        c.head().map(HeadKind::cliName).orElse("not measured: the cut is before the last block"));
    row(out, "classes", String.valueOf(f.classes()));
    for (Map.Entry<HKind, Optional<String>> e : c.refusals().entrySet()) {
      row(out, "H " + e.getKey().cliName(), e.getValue().map(r -> "no: " + r).orElse("yes"));
    }
    row(out, "auto runs", "the " + c.served().cliName() + " H");
    row(out, "verdict", "explain will run");
  }

  private static void row(PrintWriter out, String key, String value) {
    out.printf("%-10s %s%n", key, value);
  }

  static ObjectNode toJson(ModelCheck c) {
    ModelFacts f = c.facts();
    ObjectNode o = JSON.createObjectNode().put("serves", true);
    o.put("model", f.name()).put("sha256", f.sha256());
    ObjectNode in = o.putObject("input").put("name", c.input());
    c.inputShape().forEach(in.putArray("shape")::add);
    c.externalData().forEach(o.putArray("external_data")::add);
    o.put("cut_node", f.cutNode()).put("residual", f.residual().cliName());
    o.put("tokens", f.layout().tokens()).put("dim", f.dim()).put("classes", f.classes());
    o.putArray("grid").add(f.layout().gridHeight()).add(f.layout().gridWidth());
    if (c.head().isPresent()) {
      c.prefixKinds().forEach(o.putArray("prefix_tokens")::add);
    }
    o.put("head", c.head().map(HeadKind::cliName).orElse(null));
    ObjectNode h = o.putObject("h_modes");
    c.refusals()
        .forEach(
            (mode, reason) -> {
              ObjectNode m = h.putObject(mode.cliName()).put("serves", reason.isEmpty());
              reason.ifPresent(r -> m.put("reason", r));
            });
    o.put("auto", c.served().cliName());
    return o;
  }
}
