package io.spool.engine;

import io.spool.media.Progress;
import io.spool.media.ProgressListener;
import java.time.Duration;
import java.util.Map;

/**
 * Reports the progress of all chunks together: the finished chunks' frames and the running
 * ones' share, read from their heartbeats, weighed by their frames.
 */
final class ChunkProgress {
  private static final long POLL_MILLIS = 250;

  private final double[] weight;
  private final double[] done;
  private final double total;
  private final Thread thread;
  private final long started = System.nanoTime();

  private ChunkProgress(BatchHandle batch, Map<String, Integer> indexOf, double[] weight, ProgressListener listener) {
    this.weight = weight;
    this.done = new double[weight.length];
    double sum = 0;
    for (double w : weight) {
      sum += w;
    }
    this.total = sum;
    this.thread = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(POLL_MILLIS);
          double[] now = snapshot();
          for (RunningJob r : batch.running()) {
            Integer i = indexOf.get(r.jobId());
            if (i != null && now[i] < 1) {
              now[i] = Math.max(0, Math.min(1, r.fraction()));
            }
          }
          listener.onProgress(progress(now));
        }
      } catch (InterruptedException e) {
        // the chunks have ended
      } catch (RuntimeException e) {
        // progress is a courtesy: a service that cannot be asked must not end the transcode
      }
    }, "spool-chunk-progress");
    thread.setDaemon(true);
  }

  /** Starts reporting (unless nobody listens); {@link #stop} ends it. */
  static ChunkProgress follow(BatchHandle batch, Map<String, Integer> indexOf, double[] weight, ProgressListener listener) {
    ChunkProgress p = new ChunkProgress(batch, indexOf, weight, listener);
    if (listener != ProgressListener.NONE) {
      p.thread.start();
    }
    return p;
  }

  synchronized double[] snapshot() {
    return done.clone();
  }

  synchronized void ended(int index) {
    done[index] = 1;
  }

  private Progress progress(double[] fractions) {
    double sum = 0;
    for (int i = 0; i < weight.length; i++) {
      sum += weight[i] * fractions[i];
    }
    double fraction = total > 0 ? sum / total : 0;
    double elapsed = (System.nanoTime() - started) / 1e9;
    Duration eta = fraction > 0.02 ? Duration.ofMillis((long) (elapsed * (1 - fraction) / fraction * 1000)) : null;
    return new Progress(fraction, 0, 0, 0, 0, eta, false);
  }

  void stop() {
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
