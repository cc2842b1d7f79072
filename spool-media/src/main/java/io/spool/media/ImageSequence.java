package io.spool.media;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Numbered image files in one folder, {@code DIR/PREFIX0001.EXT} and on, numbered from 1: what
 * ffmpeg's {@code image2} muxer writes and its demuxer reads as one stream. The folder is given to
 * ffmpeg with its own {@code %} signs doubled, so that only the number is a pattern.
 */
public record ImageSequence(Path directory, String prefix, int digits, String extension) {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]*");
  private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,5}");

  public ImageSequence {
    Objects.requireNonNull(directory, "directory");
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new BadArgumentException("image name prefix must be letters, digits, '_', '.' or '-', got '" + prefix + "'");
    }
    if (digits < 1 || digits > 9) {
      throw new BadArgumentException("image numbers have 1 to 9 digits, got " + digits);
    }
    if (extension == null || !EXTENSION.matcher(extension).matches()) {
      throw new BadArgumentException("image extension must be a short lower-case name, got '" + extension + "'");
    }
    directory = directory.toAbsolutePath().normalize();
  }

  /** The file of image {@code number} (from 1). */
  public Path file(int number) {
    return directory.resolve(prefix + String.format(Locale.ROOT, "%0" + digits + "d", number) + "." + extension);
  }

  /** The pattern as ffmpeg takes it: behind {@code file:}, the folder's own {@code %} doubled. */
  String pattern() {
    return "file:" + directory.toString().replace("%", "%%") + "/" + prefix.replace("%", "%%") + "%0" + digits + "d."
        + extension;
  }
}
