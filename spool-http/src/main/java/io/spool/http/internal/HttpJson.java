package io.spool.http.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Path;

/**
 * The API's JSON: field names in snake_case, times as ISO-8601 text, durations as ISO-8601
 * durations. A request with a field the API does not know is refused, so that a misspelt option
 * is an error rather than silently ignored.
 */
public final class HttpJson {
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .registerModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance))
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private HttpJson() {}

  /**
   * {@code value} (a tree or a map of query parameters) as {@code type}, refused as BAD_ARGUMENT
   * naming the unknown or malformed field of {@code what}.
   */
  public static <T> T convert(Object value, Class<T> type, String what) {
    try {
      return MAPPER.convertValue(value, type);
    } catch (IllegalArgumentException e) {
      String why = e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException j ? reason(j)
          : e.getMessage().lines().findFirst().orElse("");
      throw new io.spool.media.BadArgumentException("bad " + what + ": " + why);
    }
  }

  /**
   * Why a request's JSON was refused, in the API's words: the field and what it should be, never
   * Java's type names; for JSON that does not parse, where it stops.
   */
  public static String reason(com.fasterxml.jackson.core.JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
      return "unknown field '" + u.getPropertyName() + "'";
    }
    if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f) {
      return "'" + f.getValue() + "' is not a valid " + field(f);
    }
    if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
      return field(m) + " must be " + kind(m.getTargetType());
    }
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    String line = message.lines().findFirst().orElse(message);
    var loc = e.getLocation();
    return loc == null || loc.getLineNr() < 0 ? line : line + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  /** The field a mapping error is about, as the client wrote it: {@code ladder}, {@code jobs[2].input}. */
  private static String field(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "the value" : sb.toString();
  }

  private static String kind(Class<?> type) {
    if (type == null) {
      return "of another kind";
    }
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
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object";
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }
}
