package org.vitaudit.inspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.ModelInput;
import org.vitaudit.image.OverlayRenderer;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.kafka.StoredAudit;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.schemas.SaliencyMap;
import org.vitaudit.stream.AuditRecords;

/**
 * Draws an audited event: the picture the model saw (decoded and preprocessed as the model's
 * preprocessing says), one overlay PNG per map in the record (a misprediction's true class
 * included), and the {@link EventPage} showing them, all named after the event id.
 */
public final class EventRenderer {
  /** The files written: the page, then the input picture and the overlays. */
  public record Written(Path page, List<Path> images) {}

  private final ImageDecoder decoder;
  private final Preprocessor preprocessor;

  public EventRenderer(ImageDecoder decoder, Preprocessor preprocessor) {
    this.decoder = decoder;
    this.preprocessor = preprocessor;
  }

  public Written render(StoredAudit stored, StoredPosition auditAt, byte[] image, Path dir)
      throws IOException, ImageRejectedException {
    AuditRecord a = stored.audit();
    ModelInput input = preprocessor.prepare(decoder.decode(image));
    Files.createDirectories(dir);
    String stem = fileSafe(a.getEventId());
    List<Path> images = new ArrayList<>();
    Path inputFile = dir.resolve(stem + "_input.png");
    ImageIO.write(input.view(), "png", inputFile.toFile());
    images.add(inputFile);
    List<EventPage.Figure> overlays = new ArrayList<>();
    for (SaliencyMap m : stored.maps()) {
      float[] values = AuditRecords.values(m);
      if (values.length != m.getHeight() * m.getWidth()) {
        throw new IllegalStateException(
            "the map of class "
                + m.getClassIndex()
                + " has "
                + values.length
                + " values for a "
                + m.getHeight()
                + "x"
                + m.getWidth()
                + " grid");
      }
      String label = stored.label(m.getClassIndex());
      Path file = dir.resolve(stem + "_class" + m.getClassIndex() + "_" + fileSafe(label) + ".png");
      ImageIO.write(
          OverlayRenderer.render(input.view(), values, m.getHeight(), m.getWidth()),
          "png",
          file.toFile());
      images.add(file);
      MapPeak peak = MapPeak.of(m);
      overlays.add(
          new EventPage.Figure(
              file.getFileName().toString(),
              String.format(
                  Locale.ROOT,
                  "map of %s (class %d), peak (%d,%d) of %dx%d",
                  label,
                  m.getClassIndex(),
                  peak.row(),
                  peak.col(),
                  m.getHeight(),
                  m.getWidth())));
    }
    EventPage.Figure picture =
        new EventPage.Figure(
            inputFile.getFileName().toString(),
            "input as the model saw it ("
                + input.view().getWidth()
                + "x"
                + input.view().getHeight()
                + ")");
    Path page = dir.resolve(stem + ".html");
    Files.writeString(
        page, EventPage.html(stored, auditAt, picture, overlays), StandardCharsets.UTF_8);
    return new Written(page, images);
  }

  /** A file name part from an id or label chosen by producers: no separators, no dots leading. */
  static String fileSafe(String s) {
    String safe = s.replaceAll("[^A-Za-z0-9_.-]", "_").replaceAll("^\\.+", "_");
    return safe.isEmpty() ? "_" : safe;
  }
}
