package io.spool.media.hls;

/**
 * One rung of a finished ladder, as its master playlist entry describes it.
 *
 * @param name e.g. {@code 720p}: its playlist is {@code 720p.m3u8}, its segments {@code 720p_00000.ts} on
 * @param bandwidth the peak segment bit rate in bit/s (the master's {@code BANDWIDTH})
 * @param averageBandwidth the mean bit rate over all its segments ({@code AVERAGE-BANDWIDTH})
 * @param codecs RFC 6381 codec names, e.g. {@code avc1.64001f,mp4a.40.2}
 * @param segments how many media segments it has
 * @param bytes the size of its segments together
 */
public record HlsRung(String name, String playlist, int width, int height, long bandwidth, long averageBandwidth,
    String codecs, int segments, long bytes, double durationSeconds) {}
