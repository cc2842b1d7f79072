package io.spool.cli;

import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.engine.QualityJob;
import io.spool.engine.SpoolEngine;
import io.spool.media.Metrics;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code spool quality REFERENCE DISTORTED}: PSNR and SSIM of one video against another, as a job. */
@Command(name = "quality", description = {
    "Measure PSNR and SSIM (mean and worst frame) of DISTORTED against REFERENCE, as a job;",
    "DISTORTED is scaled to REFERENCE's picture size first."})
final class QualityCommand extends SpoolSubcommand {
  @Parameters(index = "0", paramLabel = "REFERENCE", description = "The original: a media file or VOLUME:path.")
  String reference;

  @Parameters(index = "1", paramLabel = "DISTORTED", description = "The copy to judge, e.g. a transcode of REFERENCE.")
  String distorted;

  @Mixin JobFlags job;

  @Mixin ServiceOptions service;

  /** What was measured; the scores are infinite PSNR and SSIM 1 for identical pictures. */
  record Result(String reference, String distorted, String size, long frames, QualitySummary.Score psnr,
      QualitySummary.Score ssim, double durationSeconds, int attempts, Metrics metrics) {}

  record Summary(String job, Result result, JobCost cost) {}

  @Override
  public Integer call() {
    try (SpoolEngine engine = startEngine(service.settings())) {
      String ref = JobWait.ref(engine, reference);
      String dist = JobWait.ref(engine, distorted);
      JobOutcome o = JobWait.run(engine, QualityJob.spec(ref, dist,
          job.resources(engine.config().cpuCores(), Duration.ofHours(24))), JobWait.fileName(dist), common, err());
      QualitySummary q = QualitySummary.from(o.details(), "");
      Summary s = new Summary(o.jobId(), new Result(ref, dist, q.size(), q.frames(), q.psnr(), q.ssim(), o.mediaSeconds(),
          o.attempts(), o.metrics()), o.cost());
      print(s, human(s, q));
      return ExitCodes.OK;
    }
  }

  private static String human(Summary s, QualitySummary q) {
    Result r = s.result();
    return String.format(Locale.ROOT, "quality of %s against %s (compared at %s, %d frames)%n%s%n"
        + "  usage     %.2f CPU-seconds, peak memory %s, %s wall%n  cost      %s%n  job       %s (spool jobs show %s)",
        r.distorted(), r.reference(), r.size(), r.frames(), q.human("  "), r.metrics().cpuSeconds(),
        Units.bytes(r.metrics().peakRssBytes()), Units.seconds(r.metrics().wallSeconds()), Units.usd(s.cost().totalUsd()),
        s.job(), s.job());
  }
}
