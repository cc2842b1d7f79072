package io.spool.cli;

import io.spool.engine.ResultsManifest;
import java.util.List;
import java.util.Locale;

/** The per-job table and total printed after a batch (and by the demo). */
final class BatchReport {
  private BatchReport() {}

  /** States of every line; CPU and cost of the lines run now (the first {@code skipped} ran before). */
  record Totals(ResultsManifest.Tally tally, double cpuSeconds, double costUsd) {
    static Totals of(List<ResultsManifest.Line> lines, int skipped) {
      double cpu = 0;
      double cost = 0;
      for (ResultsManifest.Line l : lines.subList(skipped, lines.size())) {
        cpu += BatchReport.cpuSeconds(l);
        cost += BatchReport.costUsd(l);
      }
      return new Totals(ResultsManifest.Tally.of(lines), cpu, cost);
    }
  }

  private static double cpuSeconds(ResultsManifest.Line l) {
    return l.metrics() == null ? 0 : l.metrics().cpuSeconds();
  }

  private static double costUsd(ResultsManifest.Line l) {
    return l.cost() == null ? 0 : l.cost().totalUsd();
  }

  static String human(List<ResultsManifest.Line> lines, int skipped, double wallSeconds, String resultsFile) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-10s %7s %8s %11s  %s%n", "STATUS", "SPEED", "CPU-S", "COST", "INPUT → OUTPUT"));
    for (int i = 0; i < lines.size(); i++) {
      ResultsManifest.Line l = lines.get(i);
      boolean wasSkipped = i < skipped;
      String what = l.succeeded()
          ? name(l.input()) + " → " + l.output()
          : name(l.input()) + ": " + l.error() + " [" + l.errorCode() + "]";
      if (l.details() != null && l.details().containsKey("fallback")) {
        what += "  (" + l.details().get("fallback") + ")";
      }
      sb.append(String.format(Locale.ROOT, "%-10s %7s %8.2f %11s  %s%s%n",
          wasSkipped ? "done-before" : l.status(),
          l.speed() > 0 ? String.format(Locale.ROOT, "%.2fx", l.speed()) : "-",
          cpuSeconds(l), Units.usd(costUsd(l)), what, l.attempts() > 1 ? "  (" + l.attempts() + " attempts)" : ""));
    }
    Totals t = Totals.of(lines, skipped);
    sb.append(String.format(Locale.ROOT, "total: %s: %d succeeded, %d failed, %d cancelled%s, in %s; %.2f CPU-seconds; cost %s%n",
        Units.count(lines.size(), "job"), t.tally().succeeded(), t.tally().failed(), t.tally().cancelled(),
        skipped > 0 ? " (" + skipped + " done before, not rerun)" : "",
        Units.seconds(wallSeconds), t.cpuSeconds(), Units.usd(t.costUsd())));
    sb.append("results: ").append(resultsFile);
    return sb.toString();
  }

  static String name(String ref) {
    int slash = ref.lastIndexOf('/');
    return slash >= 0 ? ref.substring(slash + 1) : ref;
  }
}
