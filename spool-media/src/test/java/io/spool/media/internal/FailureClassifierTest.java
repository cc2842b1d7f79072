package io.spool.media.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
  @Test
  void aGpuWithoutNvencIsExplainedByTheDriversAnswer() {
    // What ffmpeg 5.1 printed for a one-frame h264_nvenc test encode on an NVIDIA H200 (no NVENC engine).
    List<String> stderr = List.of(
        "[h264_nvenc @ 0x556915a93200] [error] OpenEncodeSessionEx failed: unsupported device (2): (no details)",
        "[h264_nvenc @ 0x556915a93200] [fatal] No capable devices found",
        "[error] Error initializing output stream 0:0 -- Error while opening encoder for output stream #0:0"
            + " - maybe incorrect parameters such as bit_rate, rate, width or height");

    assertThat(FailureClassifier.reason(stderr))
        .isEqualTo("No capable devices found (OpenEncodeSessionEx failed: unsupported device (2): (no details))");
    assertThat(FailureClassifier.classify("ffmpeg", 1, stderr).code().name()).isEqualTo("ENVIRONMENT");
  }
}
