package io.spool.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where an NVENC transcode's frames live. Where the GPU can decode the input (NVDEC), it decodes
 * there and keeps the frames in GPU memory ({@code -hwaccel cuda -hwaccel_output_format cuda}),
 * scaling them with {@code scale_cuda}; a CPU-only filter (deinterlacing, tone mapping) would fail
 * on such frames, so from the first of them on the frames are downloaded ({@code hwdownload}) and
 * filtered on the CPU. Elsewhere, or encoding on the CPU, everything stays as planned for the CPU.
 */
final class CudaFrames {
  /**
   * What NVDEC decodes on every GPU with NVENC, by ffmpeg's codec name. Not AV1, which a T4
   * (Turing) cannot decode: its frames would arrive in system memory, where GPU filters fail.
   */
  private static final Set<String> NVDEC_CODECS = Set.of("h264", "hevc", "vp9", "mpeg2video", "vp8", "mpeg4", "vc1");
  /** 4:2:0 pictures, which NVDEC decodes for every codec above; 10-bit only for HEVC and VP9. */
  private static final Set<String> EIGHT_BIT = Set.of("yuv420p", "yuvj420p", "nv12");
  private static final Set<String> TEN_BIT_CODECS = Set.of("hevc", "vp9");

  /**
   * A plan for the video of one transcode.
   *
   * @param gpuDecode decode on the GPU and keep the frames there
   * @param filters the filter chain, with CUDA filters and a download where planned
   * @param encoding the encoding; without a pixel format when frames reach the encoder in GPU
   *     memory (the encoder takes them as they are; a format conversion on the CPU would fail)
   */
  record Plan(boolean gpuDecode, FilterChain filters, VideoEncoding encoding) {}

  private CudaFrames() {}

  /** The plan for encoding {@code video} with {@code encoding} after the CPU filter chain {@code cpu}. */
  static Plan plan(MediaStream video, FilterChain cpu, VideoEncoding encoding) {
    if (!VideoCodecs.isGpu(encoding.codec()) || !nvdecDecodes(video)) {
      return new Plan(false, cpu, encoding);
    }
    List<Filter> filters = new ArrayList<>();
    int i = 0;
    for (; i < cpu.filters().size(); i++) {
      Filter f = cpu.filters().get(i);
      if (f.name().equals("scale")) {
        filters.add(new Filter("scale_cuda", f.options()));
      } else if (f.name().equals("setsar")) {
        filters.add(f); // sets a frame property only: any frames will do
      } else {
        break;
      }
    }
    if (i == cpu.filters().size()) {
      return new Plan(true, new FilterChain(filters), encoding.toBuilder().pixelFormat(null).build());
    }
    filters.add(Filter.of("hwdownload"));
    filters.add(Filter.of("format").with("pix_fmts", tenBit(video) ? "p010le" : "nv12"));
    filters.addAll(cpu.filters().subList(i, cpu.filters().size()));
    return new Plan(true, new FilterChain(filters), encoding);
  }

  private static boolean nvdecDecodes(MediaStream v) {
    if (v.codec() == null || !NVDEC_CODECS.contains(v.codec()) || v.pixelFormat() == null) {
      return false;
    }
    return EIGHT_BIT.contains(v.pixelFormat()) || tenBit(v) && TEN_BIT_CODECS.contains(v.codec());
  }

  private static boolean tenBit(MediaStream v) {
    return "yuv420p10le".equals(v.pixelFormat());
  }
}
