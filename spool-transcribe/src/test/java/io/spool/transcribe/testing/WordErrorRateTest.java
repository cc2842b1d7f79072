package io.spool.transcribe.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WordErrorRateTest {
  @Test
  void countsSubstitutionsDeletionsAndInsertionsOverTheReference() {
    assertThat(WordErrorRate.of(WordErrorRate.JFK, "and so my fellow americans ask not what your country can do for you"
        + " ask what you can do for your country")).isZero();
    assertThat(WordErrorRate.of("a b c d", "a x c d")).isCloseTo(0.25, within(1e-9)); // one substitution
    assertThat(WordErrorRate.of("a b c d", "a c d")).isCloseTo(0.25, within(1e-9)); // one deletion
    assertThat(WordErrorRate.of("a b c d", "a b b c d e")).isCloseTo(0.5, within(1e-9)); // two insertions
    assertThat(WordErrorRate.of("a b", "")).isEqualTo(1.0);
  }
}
