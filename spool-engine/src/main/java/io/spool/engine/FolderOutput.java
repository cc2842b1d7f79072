package io.spool.engine;

import io.spool.media.ErrorCode;
import io.spool.media.OutputExistsException;
import io.spool.media.SpoolException;
import io.spool.volumes.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * How a job that makes a folder of files publishes them: made in its scratch folder, then each
 * published atomically under its name, once none of their places holds a file the job may not
 * replace, all or nothing ({@link Volume#commitAll}): a failure while publishing (a full disk, a
 * broken upload) takes back those published before it, where nothing was at their places. An
 * S3 object that replaced another cannot be taken back.
 */
final class FolderOutput {
  private FolderOutput() {}

  /** Publishes {@code files} into {@code folder} under their names, in order; returns their references. */
  static List<String> publish(JobContext ctx, List<Path> files, String folder, boolean overwrite) {
    List<String> refs = files.stream().map(f -> child(folder, f.getFileName().toString())).toList();
    List<Boolean> replace = new ArrayList<>();
    for (String ref : refs) {
      boolean mine = overwrite || ctx.publishedByThisJob(ref);
      if (!mine && ctx.exists(ref)) {
        throw new OutputExistsException(ref);
      }
      replace.add(mine);
    }
    List<Volume.Write> writes = new ArrayList<>();
    try {
      for (int i = 0; i < files.size(); i++) {
        Volume.Write w = ctx.output(refs.get(i));
        writes.add(w);
        Files.move(files.get(i), w.file(), StandardCopyOption.REPLACE_EXISTING);
      }
      Volume.commitAll(writes, replace);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot stage " + folder + ": " + e);
    } finally {
      writes.forEach(Volume.Write::close);
    }
    return refs;
  }

  /**
   * Fails before any work when one of {@code names}, which every run makes, is in {@code folder}
   * already and may not be replaced; the input is checked first, as a bad input is the first
   * thing to say.
   */
  static void checkFree(JobContext ctx, Path input, String folder, boolean overwrite, List<String> names) {
    if (overwrite) {
      return;
    }
    for (String name : names) {
      String ref = child(folder, name);
      if (ctx.exists(ref) && !ctx.publishedByThisJob(ref)) {
        io.spool.media.FFprobe.using(ctx.tools()).probe(input);
        throw new OutputExistsException(ref);
      }
    }
  }

  /** {@code name} inside the folder {@code folder} (a local path or {@code VOLUME:path}). */
  static String child(String folder, String name) {
    return folder.endsWith("/") || folder.endsWith(":") ? folder + name : folder + "/" + name;
  }
}
