package io.spool.media.audio;

import io.spool.media.Metrics;
import java.nio.file.Path;

/**
 * A finished audio operation.
 *
 * @param codec the audio encoder used
 * @param sampleRate the output's sample rate in Hz
 * @param channels the output's channels
 * @param videoKept whether the input's video was copied alongside (normalization into a video container)
 * @param before the input's loudness (normalization only; null for an extraction)
 * @param after the output's loudness, measured on the written file (normalization only)
 * @param linear whether loudnorm could apply one gain throughout ({@code linear=true}); false when
 *     the input's range or peaks made it fall back to dynamic normalization
 * @param target the target (normalization only)
 */
public record AudioResult(
    Path input,
    Path output,
    String codec,
    int sampleRate,
    int channels,
    boolean videoKept,
    long inputBytes,
    long outputBytes,
    double durationSeconds,
    Loudness before,
    Loudness after,
    boolean linear,
    LoudnessTarget target,
    Metrics metrics) {}
