package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GpuDevicesTest {
  @Test
  void readsNvidiaSmisCsv() {
    assertThat(GpuDevices.parse("NVIDIA H200, 580.159.04, 143771\nTesla T4, 535.104.05, 15360\n\n"))
        .containsExactly(new GpuDevices.Gpu("NVIDIA H200", "580.159.04", 143771),
            new GpuDevices.Gpu("Tesla T4", "535.104.05", 15360));
    assertThat(GpuDevices.parse("No devices were found")).isEmpty();
    assertThat(GpuDevices.parse("NVIDIA A10G, 535.0, [N/A]")).containsExactly(new GpuDevices.Gpu("NVIDIA A10G", "535.0", 0));
  }

  @Test
  void findsThisHostsGpusOrSaysWhyNone() {
    GpuDevices.Found found = GpuDevices.nvidia();
    if (Files.exists(Path.of("/dev/nvidia0"))) {
      assertThat(found.gpus()).as(found.note()).isNotEmpty();
    } else {
      assertThat(found.gpus()).isEmpty();
      assertThat(found.note()).isNotBlank();
    }
  }
}
