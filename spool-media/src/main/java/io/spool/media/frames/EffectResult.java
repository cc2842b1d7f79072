package io.spool.media.frames;

import io.spool.media.Metrics;
import java.nio.file.Path;

/**
 * A video whose frames were changed in one pass.
 *
 * @param frames frames encoded
 * @param videoCodec the video encoder
 * @param audio what became of the audio: {@code copied}, the encoder's name, or null without audio
 */
public record EffectResult(Path input, Path output, long frames, double durationSeconds, int width, int height,
    String videoCodec, String audio, long inputBytes, long outputBytes, double speed, Metrics metrics) {}
