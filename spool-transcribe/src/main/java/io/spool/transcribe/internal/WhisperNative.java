package io.spool.transcribe.internal;

import io.github.givimad.whisperjni.WhisperJNI;
import io.spool.media.EnvironmentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * whisper.cpp's native library, loaded once per process, and its log. The library has one logger
 * for the whole process; what it logs while a thread runs recognition goes to that thread's
 * listener, since whisper.cpp says some things (the language it detected) only there.
 */
final class WhisperNative {
  private static final Logger LOG = LoggerFactory.getLogger("io.spool.transcribe.whisper");
  private static final ThreadLocal<Consumer<String>> LISTENER = new ThreadLocal<>();
  private static boolean loaded; // guarded by WhisperNative.class

  private WhisperNative() {}

  /**
   * Loads the library bundled with the binding, once.
   *
   * @throws EnvironmentException where it does not load on this host
   */
  static synchronized void load() {
    if (loaded) {
      return;
    }
    try {
      WhisperJNI.loadLibrary(line -> LOG.debug("whisper-jni: {}", line));
      WhisperJNI.setLibraryLogger(WhisperNative::log);
      loaded = true;
      removeExtractedCopies();
    } catch (IOException | UnsatisfiedLinkError e) {
      throw new EnvironmentException("whisper.cpp's native library does not load on this host (" + System.getProperty("os.name")
          + " " + System.getProperty("os.arch") + "): " + e.getMessage() + "; --engine pocketsphinx runs without it");
    }
  }

  /**
   * The binding copies its libraries into a new temporary folder at every start and leaves the
   * folder behind, which a host running workers for weeks would collect by the thousand. Once
   * loaded they are no longer needed on disk (Linux keeps a mapped file until it is unmapped), so
   * the folders that this process's own memory map names are removed at once: never another
   * process's, which may still be loading from its own.
   */
  private static void removeExtractedCopies() {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return;
    }
    Set<Path> folders = new HashSet<>();
    try (Stream<String> lines = Files.lines(maps)) {
      lines.map(l -> l.substring(l.indexOf('/') < 0 ? l.length() : l.indexOf('/')).replace(" (deleted)", "").strip())
          .filter(p -> p.matches(".*/whisper-jni-[0-9]+/[^/]+\\.so[.0-9]*"))
          .forEach(p -> folders.add(Path.of(p).getParent()));
    } catch (IOException | UncheckedIOException e) {
      return;
    }
    for (Path folder : folders) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(folder);
      } catch (IOException | UncheckedIOException e) {
        LOG.debug("could not remove whisper-jni's copies in {}: {}", folder, e.toString());
      }
    }
  }

  private static void log(String line) {
    Consumer<String> l = LISTENER.get();
    if (l != null) {
      l.accept(line);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("whisper.cpp: {}", line.strip());
    }
  }

  /** Runs {@code work} with what the library logs on this thread meanwhile going to {@code listener}. */
  static void listening(Consumer<String> listener, Runnable work) {
    LISTENER.set(listener);
    try {
      work.run();
    } finally {
      LISTENER.remove();
    }
  }
}
