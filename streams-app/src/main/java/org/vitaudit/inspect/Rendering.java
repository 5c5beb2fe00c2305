package org.vitaudit.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.vitaudit.config.AppConfig;
import org.vitaudit.image.ImageDecoder;
import org.vitaudit.image.ImageRejectedException;
import org.vitaudit.image.Preprocessor;
import org.vitaudit.kafka.AuditReader;
import org.vitaudit.kafka.MissingRecordException;
import org.vitaudit.kafka.PartitionOffset;
import org.vitaudit.kafka.StoredPosition;
import org.vitaudit.kafka.TopicReader;
import org.vitaudit.model.ModelSetup;
import org.vitaudit.replay.Progress;
import org.vitaudit.schemas.AuditRecord;
import org.vitaudit.stream.EventReaders;
import org.vitaudit.stream.InputEvent;

/**
 * {@code render}'s work: find an audit record in the audit topic, fetch the input it names, and
 * draw the event as the model saw it ({@link EventRenderer}).
 */
public final class Rendering {
  private final AppConfig config;
  private final Supplier<ModelSetup> model;
  private final ImageDecoder decoder;

  /**
   * @param model the model whose preprocessing gives the picture, read once the record is found
   */
  public Rendering(AppConfig config, Supplier<ModelSetup> model, ImageDecoder decoder) {
    this.config = config;
    this.model = model;
    this.decoder = decoder;
  }

  /**
   * @param at the audit record's position in the audit topic; empty to scan for {@code eventId}
   * @param notes what the user should know: several records of the event, a record of another model
   */
  public EventRenderer.Written render(
      Optional<PartitionOffset> at,
      String eventId,
      Path out,
      Progress progress,
      Consumer<String> notes)
      throws IOException {
    String topic = config.getString(AppConfig.AUDIT_TOPIC_CONFIG);
    try (TopicReader reader =
        new TopicReader(
            config.clientProperties(), config.getInt(AppConfig.MAX_POLL_RECORDS_CONFIG))) {
      AuditFinder finder = new AuditFinder(reader, AuditReader.forConfig(config), topic);
      AuditFinder.Found found =
          at.isPresent() ? finder.at(at.get()) : finder.byEventId(eventId, progress);
      AuditRecord a = found.record();
      if (found.matches() > 1) {
        notes.accept(
            "note: "
                + topic
                + " holds "
                + found.matches()
                + " audit records of event "
                + a.getEventId()
                + "; rendering the latest, "
                + found.at());
      }
      InputEvent event = EventReaders.configured(config).readStored(input(reader, a));
      ModelSetup setup = model.get();
      if (!setup.bundle().sha256().equals(a.getModel().getSha256())) {
        notes.accept(
            "note: the record comes from model "
                + a.getModel().getName()
                + " (sha "
                + a.getModel().getSha256()
                + "); the picture is preprocessed as "
                + setup.bundle().name()
                + " does it (--model to change)");
      }
      try {
        return new EventRenderer(decoder, new Preprocessor(setup.preprocessing()))
            .render(found.stored(), found.at(), event.image(), out);
      } catch (ImageRejectedException e) {
        throw new IllegalStateException(
            "the input image of event " + a.getEventId() + " cannot be decoded: " + e.getMessage(),
            e);
      }
    }
  }

  private static ConsumerRecord<byte[], byte[]> input(TopicReader reader, AuditRecord a) {
    StoredPosition inputAt =
        new StoredPosition(
            a.getInput().getTopic(), a.getInput().getPartition(), a.getInput().getOffset());
    try {
      return reader.fetch(inputAt);
    } catch (MissingRecordException e) {
      throw new IllegalStateException(
          "the input of event " + a.getEventId() + " is gone: " + e.getMessage(), e);
    }
  }
}
