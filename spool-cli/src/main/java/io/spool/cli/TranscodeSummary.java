package io.spool.cli;

import io.spool.media.MediaStream;
import io.spool.media.PriceTable;
import io.spool.media.TranscodeResult;
import java.util.Locale;

/** How a finished transcode is reported: the JSON shape and the human summary. */
record TranscodeSummary(TranscodeResult result, PriceTable.Cost cost) {

  static TranscodeSummary of(TranscodeResult r) {
    return new TranscodeSummary(r, PriceTable.REFERENCE.price(r.metrics()));
  }

  String human() {
    TranscodeResult r = result;
    StringBuilder sb = new StringBuilder();
    sb.append("transcoded ").append(r.input()).append(" → ").append(r.output()).append('\n');
    double ratio = r.inputBytes() > 0 ? 100.0 * r.outputBytes() / r.inputBytes() : 0;
    sb.append(String.format(Locale.ROOT, "  size      %s → %s (%.0f%%)%n",
        Units.bytes(r.inputBytes()), Units.bytes(r.outputBytes()), ratio));
    String codecs = r.outputInfo().streams().stream().map(MediaStream::codec)
        .reduce((a, b) -> a + "/" + b).orElse("");
    sb.append(String.format(Locale.ROOT, "  media     %s, %s%s, preset %s%n", Units.seconds(r.durationSeconds()),
        r.width() > 0 ? r.width() + "x" + r.height() + " " : "", codecs, r.preset()));
    sb.append(String.format(Locale.ROOT, "  speed     %.2fx realtime (%s wall)%n",
        r.speed(), Units.seconds(r.metrics().wallSeconds())));
    sb.append(String.format(Locale.ROOT, "  usage     %.2f CPU-seconds, peak memory %s%n",
        r.metrics().cpuSeconds(), Units.bytes(r.metrics().peakRssBytes())));
    sb.append(String.format(Locale.ROOT, "  cost      %s (CPU %s + memory %s at the reference prices)",
        Units.usd(cost.total()), Units.usd(cost.cpu()), Units.usd(cost.memory())));
    return sb.toString();
  }
}
