package io.spool.volumes;

import java.time.Instant;

/** One file in a volume listing. */
public record VolumeEntry(String path, long sizeBytes, Instant modified) {}
