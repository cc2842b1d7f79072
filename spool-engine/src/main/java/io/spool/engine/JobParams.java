package io.spool.engine;

import io.spool.media.BadArgumentException;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a job's parameters, as they come back from a job record or a Temporal payload
 * (JSON: numbers may arrive as any {@link Number}, lists as lists).
 */
final class JobParams {
  private final Map<String, Object> params;

  private JobParams(Map<String, Object> params) {
    this.params = params;
  }

  static JobParams of(Map<String, Object> params) {
    return new JobParams(params);
  }

  String string(String key) {
    Object v = params.get(key);
    if (v == null) {
      throw new BadArgumentException("the job has no '" + key + "' parameter");
    }
    return v.toString();
  }

  String string(String key, String otherwise) {
    Object v = params.get(key);
    return v == null ? otherwise : v.toString();
  }

  Integer integer(String key) {
    Object v = params.get(key);
    return v == null ? null : ((Number) v).intValue();
  }

  Double decimal(String key) {
    Object v = params.get(key);
    return v == null ? null : ((Number) v).doubleValue();
  }

  boolean flag(String key) {
    return Boolean.TRUE.equals(params.get(key));
  }

  List<Double> decimals(String key) {
    Object v = params.get(key);
    return v == null ? List.of() : ((List<?>) v).stream().map(o -> ((Number) o).doubleValue()).toList();
  }
}
