package io.spool.http.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.spool.media.BadArgumentException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * The API's JSON: field names in snake_case, times as ISO-8601 text, durations as ISO-8601
 * durations. A request with a field the API does not know is refused, so that a misspelt option
 * is an error rather than silently ignored; and a value of the wrong kind is refused rather than
 * coerced ({@code "720"} or {@code 720.5} for a whole number, {@code "true"} for true or false, a
 * number for text), so that a client's mistake is not quietly read as something it did not send.
 */
public final class HttpJson {
  /** Request bodies and answers: strict about kinds. */
  public static final ObjectMapper MAPPER = strict(base());
  /** Query parameters, which are all text: {@code ?height=720} is the number 720. */
  private static final ObjectMapper QUERY = base();

  private HttpJson() {}

  private static ObjectMapper base() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .registerModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance))
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  private static ObjectMapper strict(ObjectMapper m) {
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    // No field given twice, which would leave the last one standing.
    m.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  /**
   * A text field that also takes a number, as the text it is written with, for values that are
   * numbers in their plainest form: {@code "fps": 0.5} as {@code "0.5"}, {@code "timeout": 90} as
   * {@code "90"} seconds.
   */
  public static final class TextOrNumber extends StdScalarDeserializer<String> {
    private static final long serialVersionUID = 1L;

    public TextOrNumber() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.hasToken(JsonToken.VALUE_STRING) || p.currentToken().isNumeric()) {
        return p.getText();
      }
      throw InvalidFormatException.from(p, "text or a number expected", p.getText(), String.class);
    }
  }

  /**
   * A request body, or a part of one such as its {@code options}, as {@code type}, refused as
   * BAD_ARGUMENT naming the unknown or malformed field under {@code where} ({@code options},
   * {@code jobs[2].options}; {@code ""} for a whole body) and the value it has there.
   */
  public static <T> T convert(JsonNode tree, Class<T> type, String where) {
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new BadArgumentException(reason(e, where, tree));
    } catch (IllegalArgumentException e) {
      throw new BadArgumentException(e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** Query parameters as {@code type}, their text read as the numbers and booleans it names. */
  static <T> T fromQuery(Map<String, String> query, Class<T> type) {
    try {
      return QUERY.convertValue(query, type);
    } catch (IllegalArgumentException e) {
      String why = e.getCause() instanceof JsonProcessingException j ? reason(j, "", QUERY.valueToTree(query))
          : e.getMessage().lines().findFirst().orElse("");
      throw new BadArgumentException("bad query parameter: " + why);
    }
  }

  /**
   * Why a request's JSON was refused, in the API's words: the field and what it should be, never
   * Java's type names; for JSON that does not parse, where it stops.
   */
  public static String reason(JsonProcessingException e) {
    return reason(e, "", null);
  }

  /** {@link #reason(JsonProcessingException)} for a value read from {@code tree} (which may be null), under {@code where}. */
  private static String reason(JsonProcessingException e, String where, JsonNode tree) {
    if (e instanceof UnrecognizedPropertyException u) {
      String in = join(where, path(u, u.getPath().size() - 1));
      return "unknown field '" + u.getPropertyName() + "'" + (in.isEmpty() ? "" : " in " + in);
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      String field = join(where, path(m, m.getPath().size()));
      JsonNode value = tree == null ? null : tree.at(pointer(m));
      String got = value != null && value.isValueNode() && !value.isMissingNode() ? ", got " + value : "";
      String kind = kind(m.getTargetType());
      if (kind == null) {
        return (field.isEmpty() ? "the value" : field) + " is not valid" + got;
      }
      return (field.isEmpty() ? "the value" : field) + " must be " + kind + got;
    }
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    String line = message.lines().findFirst().orElse(message);
    var loc = e.getLocation();
    return loc == null || loc.getLineNr() < 0 ? line : line + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  /** Where in the tree a mapping error is about. */
  private static JsonPointer pointer(JsonMappingException e) {
    JsonPointer p = JsonPointer.empty();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        p = p.appendProperty(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        p = p.appendIndex(ref.getIndex());
      }
    }
    return p;
  }

  private static String join(String where, String field) {
    return where.isEmpty() ? field : field.isEmpty() ? where : field.startsWith("[") ? where + field : where + "." + field;
  }

  /** The first {@code n} steps of the path a mapping error is about, as the client wrote it: {@code jobs[2].input}. */
  private static String path(JsonMappingException e, int n) {
    StringBuilder sb = new StringBuilder();
    for (var ref : e.getPath().subList(0, Math.max(0, n))) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** What a value of {@code type} is in the API's words; null for a type read from text (an enum, a time). */
  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord() || JsonNode.class.isAssignableFrom(type)) {
      return "an object";
    }
    return null;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }
}
