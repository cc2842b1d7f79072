package io.spool.http.internal;

import io.spool.media.BadArgumentException;
import io.spool.volumes.VolumePath;

/**
 * Volume paths as requests give them, checked once more than the volumes themselves check: over
 * HTTP a backslash or a percent sign left after decoding is refused too, since a client means a
 * separator or an encoding by it, never a name. Local paths are never accepted from a request.
 */
public final class VolumeRefs {
  static final String UPLOAD_PREFIX = "upload:";
  /** The longest volume path taken, and the longest name in it (what file systems take). */
  static final int MAX_REF_CHARS = 1024;
  static final int MAX_NAME_BYTES = 255;

  private VolumeRefs() {}

  /** {@code VOLUME:path} of a request's field {@code field}. */
  public static VolumePath parse(String field, String ref) {
    if (ref == null || ref.isBlank()) {
      throw new BadArgumentException(field + " is needed: a volume path such as media:raw/a.mov");
    }
    if (ref.length() > MAX_REF_CHARS) {
      // Checked first, so that the refusal does not quote it back.
      throw new BadArgumentException(field + " is " + ref.length() + " characters long; a volume path has at most " + MAX_REF_CHARS);
    }
    if (InputUrls.isUrl(ref)) {
      throw new BadArgumentException(field + " must be a volume path (VOLUME:path); this server takes no URLs: '" + ref + "'");
    }
    if (ref.startsWith(UPLOAD_PREFIX)) {
      throw new BadArgumentException(field + ": an upload (upload:ID) can only be a job's input");
    }
    if (ref.startsWith("/") || ref.startsWith(".") || !ref.contains(":")) {
      throw new BadArgumentException(field + " must be a volume path (VOLUME:path), not a local path: '" + ref + "'");
    }
    checkPath(field, ref.substring(ref.indexOf(':') + 1)); // as the client wrote it, before the volume tidies it
    VolumePath p = VolumePath.parse(ref);
    checkPath(field, p.path());
    if (p.path().isEmpty()) {
      throw new BadArgumentException(field + " names a volume but no file or folder in it: '" + ref + "'");
    }
    return p;
  }

  /** {@code VOLUME:path} of a request's field {@code field}, which must name a file that exists. */
  static String existing(io.spool.engine.SpoolEngine engine, String field, String ref) {
    VolumePath p = parse(field, ref);
    if (!engine.volumes().exists(p.volume())) {
      throw new io.spool.media.InputNotFoundException(field + ": no volume named '" + p.volume() + "'");
    }
    if (!engine.volumes().open(p.volume()).exists(p.path())) {
      throw new io.spool.media.InputNotFoundException(field + ": not found in volume " + p.volume() + ": " + p.path());
    }
    return p.toString();
  }

  /** Refuses what a volume would take as a name but a client cannot have meant as one. */
  static String checkPath(String field, String path) {
    if (path.indexOf('\\') >= 0) {
      throw new BadArgumentException(field + ": volume paths use '/', not backslashes: '" + path + "'");
    }
    if (path.indexOf('%') >= 0) {
      throw new BadArgumentException(field + ": a volume path cannot hold '%' once decoded (encoded twice?): '" + path + "'");
    }
    if (path.startsWith("/")) {
      throw new BadArgumentException(field + ": volume paths are relative: '" + path + "'");
    }
    for (String part : path.split("/", -1)) {
      if (part.equals("..")) {
        throw new BadArgumentException(field + ": volume paths cannot contain '..': '" + path + "'");
      }
      if (part.equals(".")) {
        throw new BadArgumentException(field + ": volume paths cannot contain '.' as a name: '" + path + "'");
      }
      if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw new BadArgumentException(field + ": a name in a volume path has at most " + MAX_NAME_BYTES + " bytes");
      }
    }
    return path;
  }
}
