package io.spool.media;

import java.math.BigInteger;

/**
 * Where source timestamps fall on the output's frame grid, computed as ffmpeg computes it: the
 * file's start taken away (in stream ticks, rounded as ffmpeg rounds it), then the {@code fps}
 * filter's rounding to the nearest frame, halves away from zero.
 */
record FrameGrid(Rational timeBase, long startMicros, Rational rate) {
  private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

  /** The file's start in stream ticks. */
  long startTicks() {
    return divideNearest(BigInteger.valueOf(startMicros).multiply(BigInteger.valueOf(timeBase.denominator())),
        MILLION.multiply(BigInteger.valueOf(timeBase.numerator())));
  }

  long frameAt(long pts) {
    BigInteger ticks = BigInteger.valueOf(pts - startTicks());
    return divideNearest(ticks.multiply(BigInteger.valueOf(timeBase.numerator())).multiply(BigInteger.valueOf(rate.numerator())),
        BigInteger.valueOf(timeBase.denominator()).multiply(BigInteger.valueOf(rate.denominator())));
  }

  /** A source time in microseconds, rounded up (a seek there does not fall short of it). */
  long micros(long pts) {
    BigInteger[] qr = BigInteger.valueOf(pts).multiply(BigInteger.valueOf(timeBase.numerator())).multiply(MILLION)
        .divideAndRemainder(BigInteger.valueOf(timeBase.denominator()));
    return qr[0].longValueExact() + (qr[1].signum() > 0 ? 1 : 0);
  }

  private static long divideNearest(BigInteger a, BigInteger b) {
    BigInteger[] qr = a.abs().divideAndRemainder(b);
    BigInteger q = qr[1].shiftLeft(1).compareTo(b) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    return (a.signum() < 0 ? q.negate() : q).longValueExact();
  }
}
