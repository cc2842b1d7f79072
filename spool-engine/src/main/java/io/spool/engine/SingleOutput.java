package io.spool.engine;

import io.spool.media.BadArgumentException;
import io.spool.media.FFprobe;
import io.spool.media.Input;
import io.spool.media.OutputExistsException;
import io.spool.media.Transcoder;
import io.spool.volumes.Volume;
import java.nio.file.Path;

/**
 * How a job that makes one file publishes it, as a transcode does: the file is written staged and
 * appears at its place only when the job succeeds; a file already there is replaced only when the
 * job was told to overwrite (or published it itself in a run a restart cut short).
 */
final class SingleOutput {
  /** Makes the staged file {@code staged} from the local input {@code input}. */
  @FunctionalInterface
  interface Maker<R> {
    R make(Path input, Path staged);
  }

  /** Makes the staged file {@code staged} from {@code input}, a local file or a remote one. */
  @FunctionalInterface
  interface InputMaker<R> {
    R make(Input input, Path staged);
  }

  private SingleOutput() {}

  /** Writes the output from a local file for the input ({@link JobContext#input}). */
  static <R> R write(JobContext ctx, String inputRef, String outputRef, boolean overwrite, Maker<R> maker) {
    return write(ctx, Input.of(ctx.input(inputRef)), outputRef, overwrite, (in, staged) -> maker.make(in.path(), staged));
  }

  /** Writes the output from {@code in}, such as {@link JobContext#streamedInput} gives. */
  static <R> R write(JobContext ctx, Input in, String outputRef, boolean overwrite, InputMaker<R> maker) {
    boolean replace = overwrite || ctx.publishedByThisJob(outputRef);
    if (!replace && ctx.exists(outputRef)) {
      FFprobe.using(ctx.tools()).probe(in); // a bad input is the first thing to say
      throw new OutputExistsException(outputRef);
    }
    try (Volume.Write out = ctx.output(outputRef)) {
      R result = maker.make(in, out.file());
      if (replace) {
        out.commit();
      } else {
        out.commitNew(); // a file that appeared meanwhile is left alone
      }
      return result;
    }
  }

  /** The file name at the end of a local path or {@code VOLUME:path}. */
  static String fileName(String ref) {
    return ref.substring(Math.max(ref.lastIndexOf('/'), ref.lastIndexOf(':')) + 1);
  }

  /** An output that names the input (as text, or as a local file also through a link) is refused. */
  static void checkDistinct(String input, String output) {
    if (input.equals(output)) {
      throw new BadArgumentException("output must not be the input file: " + output);
    }
    try {
      Transcoder.checkDistinct(Path.of(input), Path.of(output));
    } catch (java.nio.file.InvalidPathException e) {
      // a volume reference: named apart already
    }
  }
}
