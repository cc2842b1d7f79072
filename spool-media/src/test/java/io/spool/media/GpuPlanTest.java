package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NVENC path as built commands: this machine has no NVIDIA GPU, so these ffmpeg argument lists
 * cannot be run here (docs/gpu.md says what was checked on which GPU).
 */
class GpuPlanTest {
  private static final Path OUT = Path.of("/tmp/out.mp4");

  private static MediaInfo probe(String name) {
    return FFprobe.using(MediaFixtures.tools()).probe(MediaFixtures.media(name));
  }

  private static VideoEncoding encoding(Preset preset, String codec, Integer crf) {
    return TranscodeOptions.newBuilder().preset(preset).videoCodec(codec).crf(crf).build().videoEncoding();
  }

  @Test
  void nvencTakesTheCpuPresetsSpeedAsP1ToP7AndItsCrfAsConstantQuality() {
    VideoEncoding web = encoding(Preset.WEB, "h264_nvenc", null);
    assertThat(web.preset()).isEqualTo("p2");
    assertThat(web.codecOptions()).containsEntry("rc", "vbr").containsEntry("cq", "23").containsEntry("b:v", "0");
    assertThat(web.crf()).as("NVENC has no -crf").isNull();

    assertThat(encoding(Preset.PREVIEW, "h264_nvenc", null)).satisfies(e -> {
      assertThat(e.preset()).isEqualTo("p1");
      assertThat(e.codecOptions()).containsEntry("cq", "28");
    });
    assertThat(encoding(Preset.ARCHIVE, "h264_nvenc", null)).satisfies(e -> {
      assertThat(e.preset()).isEqualTo("p5");
      assertThat(e.codecOptions()).containsEntry("cq", "18");
    });
    assertThat(encoding(Preset.HEVC, "hevc_nvenc", null)).satisfies(e -> {
      assertThat(e.preset()).as("x265 fast").isEqualTo("p3");
      assertThat(e.codecOptions()).containsEntry("cq", "28");
    });
    assertThat(encoding(Preset.AV1, "av1_nvenc", null)).satisfies(e -> {
      assertThat(e.preset()).as("SVT-AV1 preset 8").isEqualTo("p3");
      assertThat(e.codecOptions()).as("crf 35 of 63 on NVENC's 0-51").containsEntry("cq", "28");
    });
    assertThat(encoding(Preset.WEB, "h264_nvenc", 30).codecOptions()).containsEntry("cq", "30");
    assertThat(encoding(Preset.WEB, "h264_nvenc", 0).codecOptions()).as("0 would be NVENC's automatic").containsEntry("cq", "1");
    assertThat(encoding(Preset.WEB, "hevc_nvenc", null)).as("another codec's twin: libx265's defaults").satisfies(e -> {
      assertThat(e.preset()).isEqualTo("p3");
      assertThat(e.codecOptions()).containsEntry("cq", "28");
    });
    assertThat(VideoCodecs.nvencPreset("libx264", "medium")).isEqualTo("p4");
    assertThat(VideoCodecs.nvencPreset("libx264", "veryslow")).isEqualTo("p7");
    assertThat(VideoCodecs.nvencPreset("libsvtav1", "0")).isEqualTo("p7");
    assertThat(VideoCodecs.nvencPreset("libsvtav1", "13")).isEqualTo("p1");
  }

  @Test
  void nvencDecodesOnTheGpuAndScalesThereWhenEveryFilterHasACudaTwin() {
    List<String> args = Transcoder.plan(probe("h264_aac_stereo_360p_17s.mp4"),
        TranscodeOptions.newBuilder().videoCodec("h264_nvenc").height(240).build(), OUT).arguments();

    int input = args.indexOf("-i");
    assertThat(args.subList(0, input)).containsSequence("-hwaccel", "cuda", "-hwaccel_output_format", "cuda");
    assertThat(args).containsSequence("-vf", "scale_cuda=w=426:h=240,setsar=sar=1");
    assertThat(args).containsSequence("-c:v", "h264_nvenc", "-preset", "p2");
    assertThat(args).as("frames reach NVENC in GPU memory: no conversion on the CPU").doesNotContain("-pix_fmt");
  }

  @Test
  void framesAreDownloadedBeforeTheFirstCpuOnlyFilter() {
    List<String> interlaced = Transcoder.plan(probe("interlaced_tff_mpeg2_ac3_480i.mkv"),
        TranscodeOptions.newBuilder().videoCodec("h264_nvenc").build(), OUT).arguments();
    assertThat(interlaced).containsSequence("-hwaccel", "cuda", "-hwaccel_output_format", "cuda");
    assertThat(interlaced.get(interlaced.indexOf("-vf") + 1)).startsWith("hwdownload,format=pix_fmts=nv12,bwdif=");
    assertThat(interlaced).containsSequence("-pix_fmt", "yuv420p");

    List<String> hdr = Transcoder.plan(probe("hevc10_hdr10_aac_1080p.mp4"),
        TranscodeOptions.newBuilder().videoCodec("h264_nvenc").height(720).build(), OUT).arguments();
    String chain = hdr.get(hdr.indexOf("-vf") + 1);
    assertThat(chain).as("scaled on the GPU, tone-mapped on the CPU")
        .startsWith("scale_cuda=w=1280:h=720,setsar=sar=1,hwdownload,format=pix_fmts=p010le,zscale=");
    assertThat(chain).contains("tonemap=");
    assertThat(chain.indexOf("scale_cuda")).isLessThan(chain.indexOf("hwdownload"));
  }

  @Test
  void whatTheGpuCannotDecodeOrACpuEncoderTakesStaysOnTheCpu() {
    List<String> yuv444 = Transcoder.plan(probe("mkv_h264_444_aac_chapters.mkv"),
        TranscodeOptions.newBuilder().videoCodec("h264_nvenc").height(120).build(), OUT).arguments();
    assertThat(yuv444).as("NVDEC decodes no 4:4:4 H.264").doesNotContain("-hwaccel");
    assertThat(String.join(" ", yuv444)).contains("-vf scale=").doesNotContain("scale_cuda").contains("-c:v h264_nvenc");

    List<String> cpu = Transcoder.plan(probe("h264_aac_stereo_360p_17s.mp4"),
        TranscodeOptions.newBuilder().height(240).build(), OUT).arguments();
    assertThat(cpu).doesNotContain("-hwaccel", "hwdownload").contains("-pix_fmt");
  }
}
