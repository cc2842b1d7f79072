package io.spool.http;

import io.spool.media.BadArgumentException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The bearer tokens that may use the API. A presented token is compared with every known one in
 * time that depends on neither (each is hashed first, so lengths leak nothing either), and no
 * token is ever printed: {@link #toString} tells only how many there are.
 */
public final class ApiTokens {
  /** Shorter tokens are refused: they can be guessed. */
  public static final int MIN_LENGTH = 16;

  private final List<byte[]> digests;

  private ApiTokens(List<byte[]> digests) {
    this.digests = List.copyOf(digests);
  }

  /** The tokens given, blanks dropped; each must be at least {@link #MIN_LENGTH} characters. */
  public static ApiTokens of(Collection<String> tokens) {
    List<byte[]> d = new ArrayList<>();
    int n = 0;
    for (String t : tokens) {
      n++;
      if (t == null || t.isBlank()) {
        continue;
      }
      String s = t.strip();
      if (s.length() < MIN_LENGTH) {
        throw new BadArgumentException("API token " + n + " is " + s.length() + " characters long; tokens need at least "
            + MIN_LENGTH);
      }
      d.add(sha256(s));
    }
    return new ApiTokens(d);
  }

  /** The comma-separated tokens of {@code SPOOL_API_TOKENS}. */
  public static ApiTokens parse(String commaSeparated) {
    return of(commaSeparated == null ? List.of() : List.of(commaSeparated.split(",")));
  }

  /** These tokens and those of {@code other}. */
  public ApiTokens and(ApiTokens other) {
    List<byte[]> all = new ArrayList<>(digests);
    all.addAll(other.digests);
    return new ApiTokens(all);
  }

  public boolean isEmpty() {
    return digests.isEmpty();
  }

  /** Whether {@code presented} is one of the tokens; every known token is compared, whatever matches. */
  public boolean accepts(String presented) {
    if (presented == null) {
      return false;
    }
    byte[] p = sha256(presented);
    boolean found = false;
    for (byte[] d : digests) {
      found |= MessageDigest.isEqual(d, p);
    }
    return found;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return digests.size() + " API token" + (digests.size() == 1 ? "" : "s");
  }
}
