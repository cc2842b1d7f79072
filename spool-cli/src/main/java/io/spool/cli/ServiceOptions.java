package io.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.TemporalSettings;
import io.spool.media.BadArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where jobs run: the embedded engine, or a shared Temporal service named by {@code --temporal},
 * else {@code SPOOL_TEMPORAL}, else {@code temporal.target} in {@code SPOOL_HOME/config.json},
 * which also holds the namespace and TLS files:
 * <pre>{"temporal": {"target": "temporal.example.com:7233", "namespace": "media",
 *   "tls": {"cert": "/etc/spool/client.pem", "key": "/etc/spool/client.key", "ca": "/etc/spool/ca.pem"}}}</pre>
 */
public final class ServiceOptions {
  static final String ENV = "SPOOL_TEMPORAL";

  @Option(names = "--temporal", paramLabel = "HOST:PORT",
      description = "Run on this Temporal service (spool dev-server, or a cluster) instead of the embedded engine"
          + " (default: $SPOOL_TEMPORAL, then temporal.target in SPOOL_HOME/config.json).")
  String temporal;

  /** The shared service to use, if one is named anywhere. */
  Optional<TemporalSettings> settings() {
    return resolve(temporal);
  }

  /** The shared service named by {@code flag}, the environment or the config file, with the file's other settings. */
  static Optional<TemporalSettings> resolve(String flag) {
    JsonNode t = configFile().path("temporal");
    String target = firstOf(flag, System.getenv(ENV), t.path("target").asText(null));
    if (target == null) {
      return Optional.empty();
    }
    JsonNode tls = t.path("tls");
    return Optional.of(new TemporalSettings(target, t.path("namespace").asText(null), path(tls, "cert"), path(tls, "key"),
        path(tls, "ca")));
  }

  /** Whether a shared service is named without reading the config file (for start-up decisions). */
  static boolean namedOnCommandLineOrEnvironment(String[] args) {
    return System.getenv(ENV) != null && !System.getenv(ENV).isBlank()
        || java.util.Arrays.stream(args).anyMatch(a -> a.equals("--temporal") || a.startsWith("--temporal="));
  }

  private static String firstOf(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  private static Path path(JsonNode node, String field) {
    String p = node.path(field).asText(null);
    return p == null || p.isBlank() ? null : Path.of(p);
  }

  /** {@code SPOOL_HOME/config.json}, or a missing node where there is none. */
  static JsonNode configFile() {
    Path file = SpoolHome.dir().resolve("config.json");
    if (!Files.isRegularFile(file)) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new BadArgumentException("cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
