package io.spool.media.audio;

/**
 * Loudness as EBU R128 measures it (ffmpeg's {@code loudnorm} analysis).
 *
 * @param integrated integrated loudness in LUFS
 * @param truePeak true peak in dBTP
 * @param range loudness range in LU
 * @param threshold the gating threshold in LUFS
 */
public record Loudness(double integrated, double truePeak, double range, double threshold) {}
