package io.spool.media;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An exact fraction such as a frame rate ({@code 30000/1001}) or an aspect ratio ({@code 16:9}).
 * ffprobe writes "0/0" or "0:1" for unknown values; {@link #isKnown()} tells them apart.
 */
public record Rational(long numerator, long denominator) {

  public static final Rational UNKNOWN = new Rational(0, 0);
  public static final Rational ONE = new Rational(1, 1);

  public Rational {
    if (denominator < 0) {
      throw new IllegalArgumentException("Rational denominator must not be negative: " + denominator);
    }
  }

  public static Rational of(long numerator, long denominator) {
    return new Rational(numerator, denominator);
  }

  /** Parses "30000/1001", "16:9", "25" or a decimal like "29.97"; null or blank is unknown. */
  @JsonCreator
  public static Rational parse(String text) {
    if (text == null || text.isBlank() || text.equals("N/A")) {
      return UNKNOWN;
    }
    String t = text.strip();
    int sep = Math.max(t.indexOf('/'), t.indexOf(':'));
    try {
      if (sep > 0) {
        return new Rational(Long.parseLong(t.substring(0, sep)), Long.parseLong(t.substring(sep + 1)));
      }
      if (t.contains(".")) {
        java.math.BigDecimal d = new java.math.BigDecimal(t);
        int scale = Math.max(0, d.scale());
        long den = (long) Math.pow(10, Math.min(scale, 9));
        return new Rational(d.movePointRight(Math.min(scale, 9)).longValue(), den).reduced();
      }
      return new Rational(Long.parseLong(t), 1);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a rational number: '" + text + "'", e);
    }
  }

  /** True when both parts are positive; ffprobe's "0/0" and "0:1" are unknown. */
  public boolean isKnown() {
    return numerator > 0 && denominator > 0;
  }

  public double toDouble() {
    return isKnown() ? (double) numerator / denominator : 0.0;
  }

  public Rational reduced() {
    if (denominator == 0) {
      return this;
    }
    long g = gcd(Math.abs(numerator), denominator);
    return g <= 1 ? this : new Rational(numerator / g, denominator / g);
  }

  /** Equal as numbers, e.g. 50/2 and 25/1. */
  public boolean sameValue(Rational other) {
    return numerator * other.denominator == other.numerator * denominator;
  }

  @JsonValue
  @Override
  public String toString() {
    return numerator + "/" + denominator;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
