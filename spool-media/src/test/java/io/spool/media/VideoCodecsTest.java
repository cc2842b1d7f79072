package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VideoCodecsTest {
  @Test
  void gpuAndCpuEncodersPairUp() {
    assertThat(VideoCodecs.gpuCounterpart("libx264")).contains("h264_nvenc");
    assertThat(VideoCodecs.gpuCounterpart("libx265")).contains("hevc_nvenc");
    assertThat(VideoCodecs.gpuCounterpart("libsvtav1")).contains("av1_nvenc");
    assertThat(VideoCodecs.gpuCounterpart("libvpx-vp9")).isEmpty();
    for (String gpu : new String[] {"h264_nvenc", "hevc_nvenc", "av1_nvenc"}) {
      String cpu = VideoCodecs.cpuCounterpart(gpu);
      assertThat(VideoCodecs.isGpu(cpu)).as(gpu).isFalse();
      assertThat(VideoCodecs.gpuCounterpart(cpu)).contains(gpu);
    }
    assertThat(VideoCodecs.cpuCounterpart("libx264")).isEqualTo("libx264");
  }
}
