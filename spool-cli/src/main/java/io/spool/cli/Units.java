package io.spool.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Human formats for sizes, times and money, and the parser for {@code --timeout 90s}. */
final class Units {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  private Units() {}

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  static String seconds(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.2f s", s);
    }
    long t = Math.round(s);
    return t >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60)
        : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
  }

  /** {@code n} and the noun, plural unless {@code n} is 1: "1 job", "2 jobs", "0 cores". */
  static String count(long n, String noun) {
    return n + " " + (n == 1 ? noun : noun + "s");
  }

  /** A duration as options take it: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
  }

  static String usd(double v) {
    return String.format(Locale.ROOT, "$%.6f", v);
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

  /** Accepts {@code 500MB}, {@code 2GB}, {@code 1.5GiB} or a bare number of bytes; K, M, G and T count in 1024s. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new TypeConversionException("'" + value + "' is not a size (try 500MB, 2GB)");
      }
      String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
      int shift = switch (unit) {
        case "k" -> 10;
        case "m" -> 20;
        case "g" -> 30;
        case "t" -> 40;
        default -> 0;
      };
      double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
      if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
        throw new TypeConversionException("size out of range: '" + value + "'");
      }
      return (long) bytes;
    }
  }

  /** Accepts {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}, a bare number of seconds, or ISO-8601. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      Matcher m = DURATION.matcher(v);
      if (!m.matches()) {
        throw new TypeConversionException("'" + value + "' is not a duration (try 90s, 10m, 2h)");
      }
      double n = Double.parseDouble(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      double millis = switch (unit) {
        case "ms" -> n;
        case "m" -> n * 60_000;
        case "h" -> n * 3_600_000;
        default -> n * 1000;
      };
      if (millis < 1) {
        throw new TypeConversionException("duration must be positive: '" + value + "'");
      }
      return Duration.ofMillis((long) millis);
    }
  }

  /** A {@link DurationConverter} duration, or {@code 0} for none (a feature switched off). */
  static final class DurationOrZeroConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return value.strip().matches("0+(\\.0*)?[a-z]*") ? Duration.ZERO : new DurationConverter().convert(value);
    }
  }
}
