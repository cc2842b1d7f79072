package io.spool.cli;

import io.spool.engine.ResultsManifest;
import java.util.List;
import java.util.Locale;

/** The per-job table and total printed after a batch (and by the demo). */
final class BatchReport {
  private BatchReport() {}

  static String human(List<ResultsManifest.Line> lines, int skipped, double wallSeconds, String resultsFile) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-10s %7s %8s %11s  %s%n", "STATUS", "SPEED", "CPU-S", "COST", "INPUT → OUTPUT"));
    int ok = 0;
    int failed = 0;
    int cancelled = 0;
    double cpu = 0;
    double cost = 0;
    for (int i = 0; i < lines.size(); i++) {
      ResultsManifest.Line l = lines.get(i);
      boolean wasSkipped = i < skipped;
      switch (l.status()) {
        case "succeeded" -> ok++;
        case "cancelled" -> cancelled++;
        default -> failed++;
      }
      double c = l.metrics() == null ? 0 : l.metrics().cpuSeconds();
      double usd = l.cost() == null ? 0 : l.cost().totalUsd();
      if (!wasSkipped) {
        cpu += c;
        cost += usd;
      }
      String what = l.succeeded()
          ? name(l.input()) + " → " + l.output()
          : name(l.input()) + ": " + l.error() + " [" + l.errorCode() + "]";
      if (l.details() != null && l.details().containsKey("fallback")) {
        what += "  (" + l.details().get("fallback") + ")";
      }
      sb.append(String.format(Locale.ROOT, "%-10s %7s %8.2f %11s  %s%s%n",
          wasSkipped ? "done-before" : l.status(),
          l.speed() > 0 ? String.format(Locale.ROOT, "%.2fx", l.speed()) : "-",
          c, Units.usd(usd), what, l.attempts() > 1 ? "  (" + l.attempts() + " attempts)" : ""));
    }
    sb.append(String.format(Locale.ROOT, "total: %d jobs: %d succeeded, %d failed, %d cancelled%s, in %s; %.2f CPU-seconds; cost %s%n",
        lines.size(), ok, failed, cancelled, skipped > 0 ? " (" + skipped + " done before, not rerun)" : "",
        Units.seconds(wallSeconds), cpu, Units.usd(cost)));
    sb.append("results: ").append(resultsFile);
    return sb.toString();
  }

  static String name(String ref) {
    int slash = ref.lastIndexOf('/');
    return slash >= 0 ? ref.substring(slash + 1) : ref;
  }
}
