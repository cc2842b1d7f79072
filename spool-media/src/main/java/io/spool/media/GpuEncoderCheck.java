package io.spool.media;

/**
 * The outcome of a real one-frame test encode with a GPU encoder.
 *
 * @param encoder e.g. {@code h264_nvenc}
 * @param listed whether this ffmpeg build lists the encoder at all
 * @param works whether the test encode succeeded
 * @param reason why it does not work (ffmpeg's own message), or "test encode succeeded"
 */
public record GpuEncoderCheck(String encoder, boolean listed, boolean works, String reason) {}
