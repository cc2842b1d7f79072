package io.spool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.BadArgumentException;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  @Test
  void memoryGrowsWithTheCoresUnlessGiven() {
    assertThat(Resources.DEFAULT.memoryMiB()).isEqualTo(2048);
    assertThat(Resources.newBuilder().cpu(2).build().memoryMiB()).isEqualTo(2304);
    // 4K x265 at 16 threads peaks near 2.8 GB: a 16-core job must not be held to 2 GiB.
    assertThat(Resources.newBuilder().cpu(16).build().memoryMiB()).isEqualTo(5888);
    assertThat(Resources.newBuilder().cpu(16).memoryMiB(1024).build().memoryMiB()).isEqualTo(1024);
    Resources eight = Resources.newBuilder().cpu(8).build();
    assertThat(eight.toBuilder().build()).isEqualTo(eight);
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> Resources.newBuilder().cpu(0).build()).isInstanceOf(BadArgumentException.class);
    assertThatThrownBy(() -> Resources.newBuilder().memoryMiB(10).build()).isInstanceOf(BadArgumentException.class);
    assertThatThrownBy(() -> Resources.newBuilder().gpu("t4; rm").build()).isInstanceOf(BadArgumentException.class);
  }
}
