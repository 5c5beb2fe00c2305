package org.vitaudit.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Plain JSON for Avro records, for dashboards: the schema's field names, nullable unions as the
 * value or {@code null} (no {@code {"string": ...}} wrapper), {@code bytes} as an array of unsigned
 * ints (a saliency map reads as {@code [0, 17, 255, ...]}), enums as their symbol and {@code
 * timestamp-millis} as an ISO-8601 instant. Reading accepts what writing produces (and epoch
 * milliseconds for timestamps), driven by the schema, so it works for every generated class.
 *
 * <p>Avro's own JSON encoding is not used because it wraps unions and writes bytes as ISO-8859-1
 * strings, which dashboards cannot read.
 */
public final class AvroJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {}

  /** The record as compact UTF-8 JSON. */
  public static byte[] toBytes(IndexedRecord record) {
    try {
      return MAPPER.writeValueAsBytes(toTree(record));
    } catch (JsonProcessingException e) {
      throw new SerializationException(
          "Cannot write " + record.getSchema().getName() + " as JSON", e);
    }
  }

  /** The record as a JSON tree. */
  public static ObjectNode toTree(IndexedRecord record) {
    GenericData model =
        record instanceof SpecificRecord
            ? SpecificData.getForSchema(record.getSchema())
            : GenericData.get();
    return (ObjectNode) write(record, record.getSchema(), model);
  }

  /**
   * Reads one record of a generated class.
   *
   * @throws SerializationException naming the field path and what was expected there
   */
  public static <T extends SpecificRecord> T fromBytes(byte[] json, Class<T> type) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SerializationException(
          "Cannot decode " + type.getSimpleName() + ": not JSON (" + e.getOriginalMessage() + ")",
          e);
    } catch (IOException e) {
      throw new SerializationException("Cannot decode " + type.getSimpleName() + ": " + e, e);
    }
    return fromTree(tree, type);
  }

  /** Reads one record of a generated class from a JSON tree. */
  public static <T extends SpecificRecord> T fromTree(JsonNode tree, Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    if (tree == null || !tree.isObject()) {
      throw new SerializationException(
          "Cannot decode " + type.getSimpleName() + ": expected a JSON object");
    }
    return type.cast(read(tree, schema, model, type.getSimpleName()));
  }

  private static JsonNode write(Object v, Schema s, GenericData model) {
    switch (s.getType()) {
      case NULL:
        return NODES.nullNode();
      case UNION:
        return write(v, s.getTypes().get(model.resolveUnion(s, v)), model);
      case RECORD:
        {
          IndexedRecord r = (IndexedRecord) v;
          ObjectNode o = NODES.objectNode();
          for (Schema.Field f : s.getFields()) {
            o.set(f.name(), write(r.get(f.pos()), f.schema(), model));
          }
          return o;
        }
      case ARRAY:
        {
          ArrayNode a = NODES.arrayNode();
          for (Object e : (Collection<?>) v) {
            a.add(write(e, s.getElementType(), model));
          }
          return a;
        }
      case MAP:
        {
          ObjectNode o = NODES.objectNode();
          ((Map<?, ?>) v).forEach((k, e) -> o.set(k.toString(), write(e, s.getValueType(), model)));
          return o;
        }
      case BYTES:
        return unsignedInts(((ByteBuffer) v).duplicate());
      case FIXED:
        return unsignedInts(ByteBuffer.wrap(((GenericFixed) v).bytes()));
      case STRING:
      case ENUM:
        return NODES.textNode(v.toString());
      case INT:
        return NODES.numberNode((Integer) v);
      case LONG:
        if (v instanceof Instant instant) {
          return NODES.textNode(instant.toString());
        }
        if (isTimestampMillis(s)) {
          return NODES.textNode(Instant.ofEpochMilli((Long) v).toString());
        }
        return NODES.numberNode((Long) v);
      case FLOAT:
        return NODES.numberNode((Float) v);
      case DOUBLE:
        return NODES.numberNode((Double) v);
      case BOOLEAN:
        return NODES.booleanNode((Boolean) v);
      default:
        throw new SerializationException("No JSON form for Avro type " + s.getType());
    }
  }

  private static ArrayNode unsignedInts(ByteBuffer bytes) {
    ArrayNode a = NODES.arrayNode(bytes.remaining());
    while (bytes.hasRemaining()) {
      a.add(bytes.get() & 0xFF);
    }
    return a;
  }

  private static Object read(JsonNode n, Schema s, SpecificData model, String path) {
    switch (s.getType()) {
      case NULL:
        expect(n.isNull(), n, "null", path);
        return null;
      case UNION:
        for (Schema branch : s.getTypes()) {
          if (fits(n, branch)) {
            return read(n, branch, model, path);
          }
        }
        throw mismatch(n, "one of " + s.getTypes().stream().map(Schema::getName).toList(), path);
      case RECORD:
        {
          expect(n.isObject(), n, "an object", path);
          IndexedRecord r = (IndexedRecord) model.newRecord(null, s);
          for (Schema.Field f : s.getFields()) {
            JsonNode fn = n.get(f.name());
            if (fn != null) {
              r.put(f.pos(), read(fn, f.schema(), model, path + "." + f.name()));
            } else if (f.hasDefaultValue()) {
              r.put(f.pos(), model.deepCopy(f.schema(), model.getDefaultValue(f)));
            } else {
              throw new SerializationException(
                  "Cannot decode JSON: missing field " + path + "." + f.name());
            }
          }
          return r;
        }
      case ARRAY:
        {
          expect(n.isArray(), n, "an array", path);
          List<Object> list = new ArrayList<>(n.size());
          for (int i = 0; i < n.size(); i++) {
            list.add(read(n.get(i), s.getElementType(), model, path + "[" + i + "]"));
          }
          return list;
        }
      case MAP:
        {
          expect(n.isObject(), n, "an object", path);
          Map<String, Object> map = new LinkedHashMap<>();
          n.fields()
              .forEachRemaining(
                  e ->
                      map.put(
                          e.getKey(),
                          read(e.getValue(), s.getValueType(), model, path + "." + e.getKey())));
          return map;
        }
      case BYTES:
        return ByteBuffer.wrap(bytes(n, path));
      case FIXED:
        {
          byte[] b = bytes(n, path);
          expect(b.length == s.getFixedSize(), n, s.getFixedSize() + " bytes", path);
          return model.createFixed(null, b, s);
        }
      case STRING:
        expect(n.isTextual(), n, "a string", path);
        return n.textValue();
      case ENUM:
        expect(
            n.isTextual() && s.getEnumSymbols().contains(n.textValue()),
            n,
            "one of " + s.getEnumSymbols(),
            path);
        return model.createEnum(n.textValue(), s);
      case INT:
        expect(n.isIntegralNumber() && n.canConvertToInt(), n, "an int", path);
        return n.intValue();
      case LONG:
        return readLong(n, s, model, path);
      case FLOAT:
        return (float) number(n, path);
      case DOUBLE:
        return number(n, path);
      case BOOLEAN:
        expect(n.isBoolean(), n, "true or false", path);
        return n.booleanValue();
      default:
        throw new SerializationException(
            "No JSON form for Avro type " + s.getType() + " at " + path);
    }
  }

  private static Object readLong(JsonNode n, Schema s, SpecificData model, String path) {
    long millis;
    if (isTimestampMillis(s) && n.isTextual()) {
      try {
        millis = Instant.parse(n.textValue()).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw mismatch(n, "an ISO-8601 instant", path);
      }
    } else {
      expect(n.isIntegralNumber() && n.canConvertToLong(), n, "a long", path);
      millis = n.longValue();
    }
    LogicalType logical = s.getLogicalType();
    Conversion<?> conversion = logical == null ? null : model.getConversionFor(logical);
    return conversion == null
        ? millis
        : Conversions.convertToLogicalType(millis, s, logical, conversion);
  }

  private static double number(JsonNode n, String path) {
    if (n.isTextual()) {
      // Jackson writes NaN and infinities as strings; accept them back.
      switch (n.textValue()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          throw mismatch(n, "a number", path);
      }
    }
    expect(n.isNumber(), n, "a number", path);
    return n.doubleValue();
  }

  private static byte[] bytes(JsonNode n, String path) {
    expect(n.isArray(), n, "an array of ints 0-255", path);
    byte[] b = new byte[n.size()];
    for (int i = 0; i < b.length; i++) {
      JsonNode e = n.get(i);
      expect(
          e.isIntegralNumber() && e.intValue() >= 0 && e.intValue() <= 255,
          e,
          "an int 0-255",
          path + "[" + i + "]");
      b[i] = (byte) e.intValue();
    }
    return b;
  }

  /** Which union branch a JSON value belongs to, judged by its JSON type alone. */
  private static boolean fits(JsonNode n, Schema s) {
    return switch (s.getType()) {
      case NULL -> n.isNull();
      case RECORD, MAP -> n.isObject();
      case ARRAY, BYTES, FIXED -> n.isArray();
      case STRING -> n.isTextual();
      case ENUM -> n.isTextual() && s.getEnumSymbols().contains(n.textValue());
      case INT, LONG -> n.isIntegralNumber() || (isTimestampMillis(s) && n.isTextual());
      case FLOAT, DOUBLE -> n.isNumber();
      case BOOLEAN -> n.isBoolean();
      default -> false;
    };
  }

  private static boolean isTimestampMillis(Schema s) {
    return s.getLogicalType() instanceof LogicalTypes.TimestampMillis;
  }

  private static void expect(boolean ok, JsonNode n, String expected, String path) {
    if (!ok) {
      throw mismatch(n, expected, path);
    }
  }

  private static SerializationException mismatch(JsonNode n, String expected, String path) {
    String got = n.isContainerNode() ? n.getNodeType().name().toLowerCase() : n.toString();
    if (got.length() > 40) {
      got = got.substring(0, 40) + "...";
    }
    return new SerializationException(
        "Cannot decode JSON: " + path + " must be " + expected + ", got " + got);
  }
}
