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
      String why = e.getCause() instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u
          ? "unknown field '" + u.getPropertyName() + "'"
          : e.getCause() instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f
              ? "'" + f.getValue() + "' is not a valid " + f.getPath().stream().map(r -> r.getFieldName()).reduce((a, b) -> b)
                  .orElse("value")
              : e.getMessage().lines().findFirst().orElse("");
      throw new io.spool.media.BadArgumentException("bad " + what + ": " + why);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }
}
