package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapabilityProbeTest {
  @TempDir Path cache;

  @Test
  void probesCodecsFiltersAndProvesGpuEncodeByATestEncode() {
    Capabilities c = CapabilityProbe.using(MediaFixtures.tools(), cache).capabilities(true);

    assertThat(c.ffmpegVersion()).isNotBlank().doesNotContain("ffmpeg version");
    assertThat(c.encoders()).contains("libx264", "aac");
    assertThat(c.decoders()).contains("h264", "aac");
    assertThat(c.filters()).contains("scale", "loudnorm");
    assertThat(c.canEncode("libx264")).isTrue();
    for (GpuEncoderCheck g : c.gpuEncoders()) {
      if (g.works()) {
        assertThat(g.listed()).isTrue();
      }
      if (!Files.exists(Path.of("/dev/nvidia0"))) {
        // Listed by the build, but no GPU: only a test encode can tell, and it must say no.
        assertThat(g.works()).as(g.encoder()).isFalse();
        assertThat(g.reason()).isNotBlank();
        assertThat(c.canEncode(g.encoder())).isFalse();
      }
    }
    assertThat(c.gpuEncode()).isEqualTo(c.gpuEncoders().stream().anyMatch(GpuEncoderCheck::works));
  }

  @Test
  void answerIsCachedUntilRefreshed() {
    CapabilityProbe probe = CapabilityProbe.using(MediaFixtures.tools(), cache);
    Capabilities first = probe.capabilities(false);
    Capabilities second = probe.capabilities(false);
    assertThat(second.probedAt()).isEqualTo(first.probedAt());
    assertThat(second.encoders()).isEqualTo(first.encoders());

    Capabilities refreshed = probe.capabilities(true);
    assertThat(refreshed.probedAt()).isAfter(first.probedAt());
    assertThat(second.gpuDevices()).isEqualTo(refreshed.gpuDevices());
  }

  @Test
  void aCacheFromBeforeGpusWereListedIsProbedAgain() throws Exception {
    CapabilityProbe probe = CapabilityProbe.using(MediaFixtures.tools(), cache);
    Capabilities first = probe.capabilities(false);
    Path file;
    try (var files = Files.list(cache)) {
      file = files.filter(p -> p.getFileName().toString().startsWith("capabilities-")).findFirst().orElseThrow();
    }
    com.fasterxml.jackson.databind.node.ObjectNode old =
        (com.fasterxml.jackson.databind.node.ObjectNode) io.spool.media.internal.Json.MAPPER.readTree(file.toFile());
    old.remove("gpuDevices");
    io.spool.media.internal.Json.MAPPER.writeValue(file.toFile(), old);

    Capabilities again = probe.capabilities(false);
    assertThat(again.probedAt()).isAfter(first.probedAt());
    assertThat(again.gpuDevices()).isNotNull();
  }
}
