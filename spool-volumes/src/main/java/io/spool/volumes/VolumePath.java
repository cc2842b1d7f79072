package io.spool.volumes;

import io.spool.media.BadArgumentException;
import java.util.regex.Pattern;

/**
 * A file inside a named volume, written {@code VOLUME:path/in/volume}. Paths are relative, use
 * '/', and can never climb out of the volume ({@code ..}, absolute paths and control characters are
 * refused). Every other character belongs to a name, backslashes and colons included, so a path
 * that a listing shows is accepted as it is. Where links in the volume lead is checked where the
 * path is resolved to a file ({@link LocalVolume}).
 */
public record VolumePath(String volume, String path) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  /** {@code name:rest}, where the name cannot contain '/' (so {@code ./a:b.mp4} is a local file). */
  private static final Pattern REF = Pattern.compile("([a-z0-9][a-z0-9._-]{0,62}):(.*)", Pattern.DOTALL);

  public VolumePath {
    checkName(volume);
    path = normalize(path);
  }

  /** Parses {@code VOLUME:path}; {@code VOLUME:} alone names the volume's root. */
  public static VolumePath parse(String ref) {
    var m = REF.matcher(ref);
    if (!m.matches()) {
      throw new BadArgumentException("not a volume path (VOLUME:path): '" + ref + "'");
    }
    return new VolumePath(m.group(1), m.group(2));
  }

  /**
   * Whether a command-line argument names a volume path rather than a local file: it has the
   * {@code name:} prefix and the volume exists. Local paths with a colon stay local when no such
   * volume exists.
   */
  public static boolean looksLike(String ref) {
    return REF.matcher(ref).matches() && !ref.startsWith("/") && !ref.startsWith(".");
  }

  public static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new BadArgumentException(
          "volume name must be 1-63 lower-case letters, digits, '.', '_' or '-': '" + name + "'");
    }
  }

  static String normalize(String path) {
    if (path == null) {
      return "";
    }
    if (path.startsWith("/")) {
      throw new BadArgumentException("volume paths are relative: '" + path + "'");
    }
    StringBuilder out = new StringBuilder();
    for (String part : path.split("/+")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new BadArgumentException("volume paths cannot contain '..': '" + path + "'");
      }
      if (part.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new BadArgumentException("volume paths cannot contain control characters");
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(part);
    }
    return out.toString();
  }

  public VolumePath resolve(String child) {
    return new VolumePath(volume, path.isEmpty() ? child : path + "/" + child);
  }

  /** The last path element. */
  public String fileName() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  @Override
  public String toString() {
    return volume + ":" + path;
  }
}
