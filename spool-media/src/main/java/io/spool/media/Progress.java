package io.spool.media;

import java.time.Duration;

/**
 * A progress report from a running ffmpeg.
 *
 * @param fraction 0..1 of the expected duration done, or -1 when the duration is unknown
 * @param outTimeSeconds media time written so far
 * @param fps frames per second being encoded (may be 0 early on)
 * @param speed media seconds per wall second (ffmpeg's "speed", e.g. 2.5 for 2.5x)
 * @param eta estimated time left, or null when it cannot be estimated yet
 * @param done true for the final report
 */
public record Progress(
    double fraction, double outTimeSeconds, long frame, double fps, double speed, Duration eta, boolean done) {}
