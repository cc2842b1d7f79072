package io.spool.engine;

import io.spool.media.BadArgumentException;
import io.spool.volumes.S3Location;
import java.util.Map;
import java.util.Objects;

/**
 * One job to run: its type (a registered {@link JobType}), its parameters (small JSON-able values:
 * paths and options, never media bytes), what it needs, and labels for its input and output.
 */
public record JobSpec(String type, Map<String, Object> params, Resources resources, String input, String output) {
  public JobSpec {
    if (type == null || !type.matches("[a-z][a-z0-9-]*")) {
      throw new BadArgumentException("job type must be a lower-case name, got '" + type + "'");
    }
    params = Map.copyOf(Objects.requireNonNull(params, "params"));
    resources = resources == null ? Resources.DEFAULT : resources;
  }

  public static JobSpec of(String type, Map<String, Object> params) {
    return new JobSpec(type, params, Resources.DEFAULT, null, null);
  }

  public JobSpec withResources(Resources r) {
    return new JobSpec(type, params, r, input, output);
  }

  /**
   * The parameter that holds the S3 volumes the job's references name, as its submitter's Spool
   * home records them: a worker whose home does not record them (another host) uses these.
   */
  public static final String S3_VOLUMES = "s3Volumes";

  /**
   * This job carrying {@code s3} (see {@link #S3_VOLUMES}) and no other: S3 volumes its parameters
   * named already are dropped, so that only the submitter's own records can point a worker at a bucket.
   */
  public JobSpec withS3Volumes(Map<String, S3Location> s3) {
    if (s3.isEmpty() && !params.containsKey(S3_VOLUMES)) {
      return this;
    }
    Map<String, Object> p = new java.util.HashMap<>(params);
    if (s3.isEmpty()) {
      p.remove(S3_VOLUMES);
      return new JobSpec(type, p, resources, input, output);
    }
    Map<String, Object> carried = new java.util.TreeMap<>();
    s3.forEach((name, location) -> carried.put(name, location.toMap()));
    p.put(S3_VOLUMES, carried);
    return new JobSpec(type, p, resources, input, output);
  }

  /** The S3 volumes this job carries (see {@link #S3_VOLUMES}), by name. */
  public Map<String, S3Location> s3Volumes() {
    if (!(params.get(S3_VOLUMES) instanceof Map<?, ?> carried)) {
      return Map.of();
    }
    Map<String, S3Location> s3 = new java.util.TreeMap<>();
    carried.forEach((name, location) -> {
      if (!(location instanceof Map<?, ?> m)) {
        throw new BadArgumentException("the job's " + S3_VOLUMES + " parameter is not a map of locations: " + carried);
      }
      s3.put(name.toString(), S3Location.fromMap(m));
    });
    return s3;
  }

  /** Every reference the job may name: its input and output, and its parameters' texts. */
  java.util.List<String> refs() {
    java.util.List<String> refs = new java.util.ArrayList<>();
    refs.add(input);
    refs.add(output);
    params.forEach((k, v) -> {
      if (k.equals(S3_VOLUMES)) {
        return;
      }
      if (v instanceof String text) {
        refs.add(text);
      } else if (v instanceof java.util.Collection<?> c) {
        c.stream().filter(String.class::isInstance).map(String.class::cast).forEach(refs::add);
      }
    });
    return refs;
  }
}
