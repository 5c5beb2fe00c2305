package org.vitaudit.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vitaudit.schemas.Misprediction;
import org.vitaudit.serde.AvroJson;

/**
 * The detail of one event as {@code /api/events/{seq}} gives it: the feed line, the record's fields
 * as the JSON audit format writes them (maps as arrays of 0-255), the misprediction's true class,
 * the dead letter, and the {@code render} and {@code replay} command lines that reproduce it.
 */
final class EventDetail {
  private EventDetail() {}

  static ObjectNode of(FeedEntry e, ObjectMapper mapper) {
    ObjectNode out = mapper.createObjectNode();
    FeedEvent event = FeedEvent.of(e);
    out.set("event", mapper.valueToTree(event));
    out.set("audit", e.audit() == null ? null : AvroJson.toTree(e.audit()));
    Misprediction m = e.misprediction();
    if (m != null) {
      ObjectNode truth = out.putObject("misprediction");
      truth.put("trueClassIndex", m.getTrueClassIndex());
      truth.put("trueLabel", m.getTrueLabel());
      truth.put("predictedClassIndex", m.getPredictedClassMap().getClassIndex());
    } else {
      out.putNull("misprediction");
    }
    out.set("deadLetter", e.deadLetter() == null ? null : mapper.valueToTree(e.deadLetter()));
    ObjectNode commands = out.putObject("commands");
    if (e.audit() != null) {
      String id = shellQuoted(event.eventId());
      commands.put(
          "render", "java -jar streams-app.jar render --event-id " + id + " --out render-out");
      commands.put(
          "replay",
          "java -jar streams-app.jar replay --event-id " + id + " --output-topic audit.replay");
    }
    return out;
  }

  /** A producer-chosen id as one shell word. */
  static String shellQuoted(String s) {
    return s.matches("[A-Za-z0-9_.:@/-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
