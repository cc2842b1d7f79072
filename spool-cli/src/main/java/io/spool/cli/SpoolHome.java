package io.spool.cli;

import java.nio.file.Path;

/** Spool's own folder: {@code SPOOL_HOME} (or the {@code spool.home} property), default {@code ~/.spool}. */
final class SpoolHome {
  private SpoolHome() {}

  static Path dir() {
    String env = System.getProperty("spool.home", System.getenv("SPOOL_HOME"));
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".spool");
  }

  /** Where Whisper models are looked for: {@code SPOOL_HOME/models}. */
  static Path models() {
    return dir().resolve("models");
  }

  static Path cache() {
    return dir().resolve("cache");
  }
}
