package io.spool.transcribe.internal;

import io.github.givimad.whisperjni.WhisperJNI;
import io.spool.media.EnvironmentException;
import java.io.IOException;
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
    } catch (IOException | UnsatisfiedLinkError e) {
      throw new EnvironmentException("whisper.cpp's native library does not load on this host (" + System.getProperty("os.name")
          + " " + System.getProperty("os.arch") + "): " + e.getMessage() + "; --engine pocketsphinx runs without it");
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
