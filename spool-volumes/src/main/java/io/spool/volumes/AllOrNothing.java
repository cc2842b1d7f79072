package io.spool.volumes;

import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import io.spool.media.internal.AtomicOutput;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Volume#commitAll}: no rename can publish several files in one step, so each commit is
 * made undoable first. What is at a place about to be replaced is kept beside it (a hard link);
 * when a later commit fails, the kept files are renamed back and the new files removed.
 */
final class AllOrNothing {
  private AllOrNothing() {}

  /**
   * One commit made: the file it published and what was there before (empty: nothing), or for a
   * new file elsewhere, its write, which takes it back.
   */
  private record Made(Path target, Optional<Path> kept, Volume.Write elsewhere) {}

  static void commit(List<Volume.Write> writes, List<Boolean> replace) {
    if (writes.size() != replace.size()) {
      throw new IllegalArgumentException(writes.size() + " writes but " + replace.size() + " replace flags");
    }
    List<Made> made = new ArrayList<>();
    List<Path> kept = new ArrayList<>();
    try {
      for (int i = 0; i < writes.size(); i++) {
        Volume.Write w = writes.get(i);
        Optional<Path> target = w.localTarget();
        Optional<Path> before = Optional.empty();
        if (target.isPresent()) {
          before = keep(target.get());
          before.ifPresent(kept::add);
        }
        if (replace.get(i)) {
          w.commit();
        } else {
          w.commitNew();
        }
        if (target.isPresent()) {
          made.add(new Made(target.get(), before, null));
        } else if (!replace.get(i)) {
          made.add(new Made(null, Optional.empty(), w));
        }
      }
    } catch (RuntimeException e) {
      for (int i = made.size() - 1; i >= 0; i--) {
        try {
          undo(made.get(i));
        } catch (IOException | RuntimeException u) {
          e.addSuppressed(u);
        }
      }
      throw e;
    } finally {
      for (Path p : kept) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          org.slf4j.LoggerFactory.getLogger(AllOrNothing.class).warn("could not remove {}: {}", p, e.toString());
        }
      }
    }
  }

  private static Optional<Path> keep(Path target) {
    try {
      return AtomicOutput.keep(target);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot keep " + target + " while publishing over it: " + e.getMessage(),
          List.of(), e);
    }
  }

  private static void undo(Made m) throws IOException {
    if (m.elsewhere() != null) {
      boolean interrupted = Thread.interrupted(); // a remote store's client sends nothing from an interrupted thread
      try {
        if (!m.elsewhere().undoNew()) {
          throw new IOException("cannot take back " + m.elsewhere().file().getFileName() + ", published elsewhere");
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      return;
    }
    if (m.kept().isEmpty()) {
      Files.deleteIfExists(m.target());
      return;
    }
    try {
      Files.move(m.kept().get(), m.target(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(m.kept().get(), m.target(), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
