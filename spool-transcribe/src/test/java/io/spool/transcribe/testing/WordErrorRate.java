package io.spool.transcribe.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Word error rate: the fewest word substitutions, deletions and insertions that turn the
 * hypothesis into the reference, over the reference's word count. Case and punctuation are
 * ignored, as is usual when scoring recognisers.
 */
public final class WordErrorRate {
  /** The JFK sample's words (testdata/media/SOURCES.md). */
  public static final String JFK = "And so my fellow Americans, ask not what your country can do for you,"
      + " ask what you can do for your country.";

  private WordErrorRate() {}

  public static double of(String reference, String hypothesis) {
    List<String> ref = words(reference);
    List<String> hyp = words(hypothesis);
    if (ref.isEmpty()) {
      throw new IllegalArgumentException("the reference has no words");
    }
    int[] previous = new int[hyp.size() + 1];
    int[] current = new int[hyp.size() + 1];
    for (int j = 0; j <= hyp.size(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= ref.size(); i++) {
      current[0] = i;
      for (int j = 1; j <= hyp.size(); j++) {
        int substitute = previous[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[hyp.size()] / (double) ref.size();
  }

  public static List<String> words(String text) {
    String plain = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' ]+", " ").strip();
    return plain.isEmpty() ? List.of() : Arrays.asList(plain.split("\\s+"));
  }
}
