package io.spool.cli;

import io.spool.media.Progress;
import io.spool.media.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place on a terminal. Disabled (prints nothing) when output
 * is not a terminal, with {@code --quiet}, or with {@code --json}.
 */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final String label;
  private final boolean enabled;
  private long lastDraw;
  private boolean drawn;

  private ProgressBar(PrintWriter err, String label, boolean enabled) {
    this.err = err;
    this.label = label;
    this.enabled = enabled;
  }

  static ProgressBar forCommand(PrintWriter err, String label, CommonOptions common) {
    return new ProgressBar(err, label, common.showsProgress());
  }

  @Override
  public synchronized void onProgress(Progress p) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (!p.done() && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    err.print("\r" + render(p));
    err.flush();
    drawn = true;
  }

  /** Clears the bar so the summary starts on a clean line. */
  synchronized void finish() {
    if (drawn) {
      err.print("\r" + " ".repeat(WIDTH + label.length() + 50) + "\r");
      err.flush();
      drawn = false;
    }
  }

  String render(Progress p) {
    StringBuilder sb = new StringBuilder(label).append(' ');
    if (p.fraction() >= 0) {
      int filled = (int) Math.round(p.fraction() * WIDTH);
      sb.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append(']')
          .append(String.format(Locale.ROOT, " %3d%%", Math.round(p.fraction() * 100)));
    } else {
      sb.append(Units.seconds(p.outTimeSeconds()));
    }
    if (p.fps() > 0) {
      sb.append(String.format(Locale.ROOT, "  %.0f fps", p.fps()));
    }
    if (p.speed() > 0) {
      sb.append(String.format(Locale.ROOT, "  %.2fx", p.speed()));
    }
    if (p.eta() != null && !p.done()) {
      sb.append("  ETA ").append(Units.seconds(p.eta().toMillis() / 1000.0));
    }
    return sb.toString();
  }
}
