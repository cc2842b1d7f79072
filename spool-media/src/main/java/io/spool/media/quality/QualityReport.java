package io.spool.media.quality;

import io.spool.media.Metrics;

/**
 * How close a distorted video is to its reference, frame by frame, at the reference's size.
 * PSNR is in dB ({@link Double#POSITIVE_INFINITY} where the frames are identical); SSIM runs
 * from 0 to 1 (1: identical). Frames are counted from 0, in the order they were compared.
 *
 * @param psnrMean PSNR of the mean squared error over all frames (as ffmpeg's own summary)
 * @param psnrWorst the lowest PSNR of a single frame
 * @param psnrWorstFrame the frame with the lowest PSNR
 * @param ssimMean the mean of the frames' SSIM (all planes)
 * @param ssimWorst the lowest SSIM of a single frame
 * @param ssimWorstFrame the frame with the lowest SSIM
 * @param frames how many frame pairs were compared
 * @param width the width both were compared at (the reference's picture)
 * @param height the height both were compared at
 * @param seconds the reference's duration
 * @param metrics what measuring used
 */
public record QualityReport(
    double psnrMean,
    double psnrWorst,
    long psnrWorstFrame,
    double ssimMean,
    double ssimWorst,
    long ssimWorstFrame,
    long frames,
    int width,
    int height,
    double seconds,
    Metrics metrics) {}
