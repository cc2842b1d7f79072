package io.spool.media;

import java.nio.file.Path;

/**
 * A finished transcode: what went in, what came out, and what it cost in resources.
 *
 * @param speed media seconds encoded per wall second (2.0 = twice real time)
 */
public record TranscodeResult(
    Path input,
    Path output,
    String preset,
    String videoCodec,
    long inputBytes,
    long outputBytes,
    double durationSeconds,
    int width,
    int height,
    double speed,
    Metrics metrics,
    MediaInfo outputInfo) {}
