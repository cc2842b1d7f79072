package io.spool.cli;

import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.engine.SpoolEngine;
import io.spool.engine.ThumbnailsJob;
import io.spool.media.Metrics;
import io.spool.media.thumbnails.ThumbnailOptions;
import io.spool.volumes.VolumePath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spool thumbnails IN --out DIR}: thumbnails, a poster, a sprite sheet and a WebVTT track, as a job. */
@Command(name = "thumbnails", description = {
    "Make thumbnails of a video at chosen times, a representative poster frame, a WebVTT thumbnail track",
    "and, with --sprite, a sprite sheet the track points into; as a job. Default: 10 evenly spaced."})
final class ThumbnailsCommand extends SpoolSubcommand {
  @Parameters(index = "0", paramLabel = "IN", description = "Input video file or VOLUME:path.")
  String input;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder or VOLUME:path for the files (default: IN's name + '-thumbnails', beside it).")
  String out;

  @Mixin ThumbnailFlags flags;

  @Mixin JobFlags job;

  @Mixin ServiceOptions service;

  record Thumbnail(String file, double time) {}

  record Sprite(String file, int columns, int rows) {}

  /** What was made: the thumbnails in time order, the poster (one of their frames, full size), the sprite, the track. */
  record Result(String input, String folder, List<Thumbnail> thumbnails, Thumbnail poster, Sprite sprite, String track,
      String size, String method, double durationSeconds, int attempts, Metrics metrics) {}

  record Summary(String job, Result result, JobCost cost) {}

  @Override
  public Integer call() {
    ThumbnailOptions options = flags.options();
    try (SpoolEngine engine = startEngine(service.settings())) {
      String in = JobWait.ref(engine, input);
      String folder = out != null ? JobWait.ref(engine, out) : defaultFolder(engine, in);
      JobOutcome o = JobWait.run(engine, ThumbnailsJob.spec(in, folder, options,
          job.resources(engine.config().cpuCores(), Duration.ofHours(24)), job.overwrite), JobWait.fileName(in), common, err());
      Summary s = summary(o, in, folder);
      print(s, human(s));
      return ExitCodes.OK;
    }
  }

  private static String defaultFolder(SpoolEngine engine, String in) {
    String name = engine.isVolumeRef(in) ? VolumePath.parse(in).fileName() : JobWait.fileName(in);
    int dot = name.lastIndexOf('.');
    String folder = (dot > 0 ? name.substring(0, dot) : name) + "-thumbnails";
    return in.substring(0, in.length() - name.length()) + folder;
  }

  private static Summary summary(JobOutcome o, String in, String folder) {
    Map<String, String> d = o.details();
    List<Double> times = Arrays.stream(d.get("times").split(",")).map(Double::parseDouble).toList();
    List<Thumbnail> thumbs = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      thumbs.add(new Thumbnail(ThumbnailsJob.thumbnail(folder, i, d.get("format")), times.get(i)));
    }
    int pick = Integer.parseInt(d.get("posterIndex"));
    Sprite sprite = null;
    if (d.containsKey("sprite")) {
      String[] layout = d.get("spriteLayout").split("x");
      sprite = new Sprite(d.get("sprite"), Integer.parseInt(layout[0]), Integer.parseInt(layout[1]));
    }
    return new Summary(o.jobId(), new Result(in, folder, thumbs, new Thumbnail(d.get("poster"), times.get(pick)), sprite,
        d.get("track"), d.get("size"), d.get("method"), o.mediaSeconds(), o.attempts(), o.metrics()), o.cost());
  }

  private static String human(Summary s) {
    Result r = s.result();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%d thumbnails of %s → %s (%s, found by %s)%n", r.thumbnails().size(), r.input(),
        r.folder(), r.size(), r.method().equals("seek") ? "seeking to each time" : "one pass"));
    StringBuilder at = new StringBuilder();
    for (int i = 0; i < r.thumbnails().size() && i < 12; i++) {
      at.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", r.thumbnails().get(i).time()));
    }
    sb.append("  times     ").append(at).append(r.thumbnails().size() > 12 ? ", ..." : "").append(" s\n");
    sb.append(String.format(Locale.ROOT, "  poster    %s (the frame at %.2f s)%n", r.poster().file(), r.poster().time()));
    if (r.sprite() != null) {
      sb.append(String.format(Locale.ROOT, "  sprite    %s (%dx%d)%n", r.sprite().file(), r.sprite().columns(), r.sprite().rows()));
    }
    sb.append("  track     ").append(r.track()).append('\n');
    sb.append(String.format(Locale.ROOT, "  usage     %.2f CPU-seconds, peak memory %s, %s wall%n", r.metrics().cpuSeconds(),
        Units.bytes(r.metrics().peakRssBytes()), Units.seconds(r.metrics().wallSeconds())));
    sb.append("  cost      ").append(Units.usd(s.cost().totalUsd())).append('\n');
    sb.append("  job       ").append(s.job()).append(" (spool jobs show ").append(s.job()).append(')');
    return sb.toString();
  }
}
