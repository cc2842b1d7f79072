package io.spool.media;

/**
 * Colour description of a video stream as ffprobe reports it; each field may be null when the
 * stream does not say.
 */
public record ColorInfo(String range, String space, String transfer, String primaries) {

  public static final ColorInfo UNSPECIFIED = new ColorInfo(null, null, null, null);

  /** PQ (HDR10) or HLG transfer: needs tone mapping to look right on SDR displays. */
  public boolean isHdr() {
    return "smpte2084".equals(transfer) || "arib-std-b67".equals(transfer);
  }
}
