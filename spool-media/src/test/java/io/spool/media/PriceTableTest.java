package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PriceTableTest {
  @Test
  void aGpusDriverNameGivesItsPricedKind() {
    PriceTable p = PriceTable.REFERENCE;
    assertThat(p.kindOf("Tesla T4")).contains("t4");
    assertThat(p.kindOf("NVIDIA A10G")).contains("a10g");
    assertThat(p.kindOf("NVIDIA L40S")).contains("l40s");
    assertThat(p.kindOf("NVIDIA H100 80GB HBM3")).contains("h100");
    assertThat(p.kindOf("NVIDIA H200")).as("not in the table").isEmpty();
    assertThat(p.kindOf("NVIDIA A100-SXM4-80GB")).as("a100 is not an a10g").isEmpty();
    assertThat(p.kindOf("NVIDIA GeForce RTX 4090")).isEmpty();
  }
}
