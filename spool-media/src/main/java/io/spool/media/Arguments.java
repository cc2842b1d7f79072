package io.spool.media;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Small rules shared by everything that hands names and values to ffmpeg tools. */
final class Arguments {
  /** Codec, preset, pixel format and muxer names: plain tokens, never something that looks like an option. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]*");
  /** Codec-private option names such as {@code row-mt} or {@code b:v}. */
  private static final Pattern OPTION_NAME = Pattern.compile("[a-z0-9][a-z0-9_:-]*");
  /** Codec-private option values such as {@code 0}, {@code good} or {@code log-level=error}. */
  private static final Pattern OPTION_VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+:=,-]*");

  private Arguments() {}

  /**
   * A path as ffmpeg must see it: absolute and behind the {@code file:} protocol, so that a name
   * such as {@code -y.mp4}, {@code -i} or {@code http:x.mp4} is only ever a file name.
   */
  static String fileUrl(Path path) {
    return "file:" + path.toAbsolutePath().normalize();
  }

  static void codecOption(String name, String value) {
    if (name == null || !OPTION_NAME.matcher(name).matches()) {
      throw new BadArgumentException("codec option name is not valid: '" + name + "'");
    }
    if (value == null || !OPTION_VALUE.matcher(value).matches()) {
      throw new BadArgumentException("codec option " + name + " has an invalid value: '" + value + "'");
    }
  }

  static String token(String field, String value) {
    if (value == null || !TOKEN.matcher(value).matches()) {
      throw new BadArgumentException(field + " must be a plain name like 'libx264', got '" + value + "'");
    }
    return value;
  }
}
