package io.spool.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A point in a video as people write it: {@code 12.5} seconds, {@code 1:30} or {@code 1:02:03.5}. */
final class MediaTimes implements ITypeConverter<Double> {
  private static final Pattern CLOCK = Pattern.compile("(?:(\\d+):)?(\\d{1,2}):(\\d{1,2}(?:\\.\\d+)?)");
  private static final Pattern SECONDS = Pattern.compile("\\d+(?:\\.\\d+)?");

  @Override
  public Double convert(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (v.endsWith("s")) {
      v = v.substring(0, v.length() - 1);
    }
    if (SECONDS.matcher(v).matches()) {
      return Double.parseDouble(v);
    }
    Matcher m = CLOCK.matcher(v);
    if (m.matches()) {
      double s = Double.parseDouble(m.group(3));
      int minutes = Integer.parseInt(m.group(2));
      if (s < 60 && (m.group(1) == null || minutes < 60)) {
        return (m.group(1) == null ? 0 : Integer.parseInt(m.group(1)) * 3600.0) + minutes * 60.0 + s;
      }
    }
    throw new TypeConversionException("'" + value + "' is not a time in the video (try 12.5, 1:30 or 1:02:03.5)");
  }
}
