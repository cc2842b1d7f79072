package io.spool.engine.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.internal.Json;
import java.util.List;

/** A record's JSON, as stored in its row: written whole, read back or reported as damaged. */
public final class RecordJson {
  private RecordJson() {}

  static String write(Object record) {
    try {
      return Json.MAPPER.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new SpoolException(ErrorCode.INTERNAL, "cannot write " + record.getClass().getSimpleName() + " as JSON: "
          + e.getOriginalMessage(), List.of(), e);
    }
  }

  /**
   * The record in {@code json}.
   *
   * @param what the record as a message names it, such as {@code job record j-1 in /home/spool.db}
   * @throws SpoolException {@link ErrorCode#RECORD_DAMAGED} if it is not JSON, is cut short or
   *     lacks what every record has
   */
  public static <T> T read(String json, Class<T> type, String what) {
    if (json == null || json.isBlank()) {
      throw damaged(what, "the record is empty", null);
    }
    T value;
    try {
      value = Json.MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw damaged(what, e instanceof ValueInstantiationException && e.getCause() != null
          ? e.getCause().getMessage() : e.getOriginalMessage(), e);
    }
    if (value == null) {
      throw damaged(what, "it holds null, not a record", null);
    }
    return value;
  }

  /** The same, from JSON already parsed. */
  static <T> T read(com.fasterxml.jackson.databind.JsonNode json, Class<T> type, String what) {
    try {
      return Json.MAPPER.treeToValue(json, type);
    } catch (JsonProcessingException e) {
      throw damaged(what, e instanceof ValueInstantiationException && e.getCause() != null
          ? e.getCause().getMessage() : e.getOriginalMessage(), e);
    }
  }

  static SpoolException damaged(String what, String why, Throwable cause) {
    return new SpoolException(ErrorCode.RECORD_DAMAGED, "damaged " + what + ": " + why, List.of(), cause);
  }
}
