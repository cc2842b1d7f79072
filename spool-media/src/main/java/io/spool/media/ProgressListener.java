package io.spool.media;

/** Receives progress from a running job. Called from a background thread; keep it quick. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = p -> {};

  void onProgress(Progress progress);
}
