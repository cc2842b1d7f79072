package io.spool.engine;

import io.spool.media.BadArgumentException;
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
}
