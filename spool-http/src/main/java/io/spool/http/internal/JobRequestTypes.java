package io.spool.http.internal;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.spool.engine.AudioExtractJob;
import io.spool.engine.AudioNormalizeJob;
import io.spool.engine.FramesExtractJob;
import io.spool.engine.FramesOverlayJob;
import io.spool.engine.HlsJob;
import io.spool.engine.JobSpec;
import io.spool.engine.QualityJob;
import io.spool.engine.SpoolEngine;
import io.spool.engine.ThumbnailsJob;
import io.spool.engine.TranscodeJob;
import io.spool.http.JobRequestType;
import io.spool.media.BadArgumentException;
import io.spool.media.Rational;
import io.spool.media.TranscodeOptions;
import io.spool.media.audio.AudioFormat;
import io.spool.media.audio.LoudnessTarget;
import io.spool.media.frames.Overlay;
import io.spool.media.hls.HlsOptions;
import io.spool.media.thumbnails.ThumbnailOptions;
import io.spool.volumes.VolumePath;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The job types the API knows by itself: Spool's media operations, with the CLI's options as
 * typed fields. A free ffmpeg filter chain (the CLI's {@code frames overlay --filter}) is not
 * taken over HTTP: filters such as {@code movie} read any file the server can.
 */
final class JobRequestTypes {
  private JobRequestTypes() {}

  record Thumbnails(Integer count, List<Double> at, Double every, Boolean sprite, Integer width, String format,
      String method) {}

  record AudioExtract(String format) {}

  record AudioNormalize(Double targetI, Double targetTp, Double targetLra) {}

  record FramesOverlay(String text, String position, Integer fontSize, String image, String imagePosition, Integer crf) {}

  /** {@code fps} as a number ({@code 0.5}) or text ({@code "1/10"}). */
  record FramesExtract(@JsonDeserialize(using = HttpJson.TextOrNumber.class) String fps, String format, Integer width) {}

  record Hls(List<Integer> ladder, Double segmentSeconds, Integer crf) {}

  record Quality(String reference) {}

  /** The built-in types, {@code transcode} first; {@code engine} checks the files that options name. */
  static List<JobRequestType> builtIn(SpoolEngine engine) {
    return List.of(
        type(TranscodeJob.NAME, false, r -> {
          TranscodeOptions opts = r.options(JobOptions.Transcode.class).build();
          String out = r.output();
          if (out == null) {
            VolumePath in = VolumePath.parse(r.input());
            out = new VolumePath(in.volume(), in.path().substring(0, in.path().length() - in.fileName().length())
                + opts.preset().outputName(in.fileName())).toString();
          }
          return TranscodeJob.spec(r.input(), out, opts, r.resources(), r.overwrite());
        }),
        type(ThumbnailsJob.NAME, true, r -> {
          Thumbnails o = r.options(Thumbnails.class);
          ThumbnailOptions.Builder b = ThumbnailOptions.newBuilder().count(o.count()).at(o.at()).every(o.every())
              .sprite(Boolean.TRUE.equals(o.sprite()));
          if (o.width() != null) {
            b.width(o.width());
          }
          if (o.format() != null) {
            b.format(o.format());
          }
          if (o.method() != null) {
            b.method(ThumbnailOptions.Method.parse(o.method()));
          }
          return ThumbnailsJob.spec(r.input(), r.output(), b.build(), r.resources(), r.overwrite());
        }),
        type(AudioExtractJob.NAME, true, r -> {
          AudioExtract o = r.options(AudioExtract.class);
          return AudioExtractJob.spec(r.input(), r.output(), o.format() == null ? null : AudioFormat.parse(o.format()),
              r.resources(), r.overwrite());
        }),
        type(AudioNormalizeJob.NAME, true, r -> {
          AudioNormalize o = r.options(AudioNormalize.class);
          LoudnessTarget d = LoudnessTarget.DEFAULT;
          LoudnessTarget target = new LoudnessTarget(o.targetI() == null ? d.integrated() : o.targetI(),
              o.targetTp() == null ? d.truePeak() : o.targetTp(), o.targetLra() == null ? d.range() : o.targetLra());
          return AudioNormalizeJob.spec(r.input(), r.output(), target, r.resources(), r.overwrite());
        }),
        type(FramesOverlayJob.NAME, true, r -> {
          FramesOverlay o = r.options(FramesOverlay.class);
          String image = o.image() == null ? null : VolumeRefs.existing(engine, r.where() + "options.image", o.image());
          Overlay overlay = new Overlay(null, image == null ? null : Path.of(image),
              Overlay.Position.parse(o.imagePosition() == null ? "top-right" : o.imagePosition()), o.text(),
              Overlay.Position.parse(o.position() == null ? "bottom-left" : o.position()), o.fontSize());
          return FramesOverlayJob.spec(r.input(), r.output(), overlay, image, o.crf(), r.resources(), r.overwrite());
        }),
        type(FramesExtractJob.NAME, true, r -> {
          FramesExtract o = r.options(FramesExtract.class);
          if (o.fps() == null) {
            throw new BadArgumentException(r.where() + "options.fps is needed: frames a second, e.g. 1, 0.5 or 1/10");
          }
          return FramesExtractJob.spec(r.input(), r.output(), Rational.parse(o.fps()), o.format() == null ? "png" : o.format(),
              o.width(), r.resources(), r.overwrite());
        }),
        type(HlsJob.NAME, true, r -> {
          Hls o = r.options(Hls.class);
          HlsOptions.Builder b = HlsOptions.newBuilder().crf(o.crf());
          if (o.ladder() != null) {
            b.heights(o.ladder());
          }
          if (o.segmentSeconds() != null) {
            b.segmentSeconds(o.segmentSeconds());
          }
          return HlsJob.spec(r.input(), r.output(), b.build(), r.resources(), r.overwrite());
        }),
        type(QualityJob.NAME, false, r -> {
          Quality o = r.options(Quality.class);
          if (o.reference() == null) {
            throw new BadArgumentException(r.where() + "options.reference is needed: the original, as VOLUME:path");
          }
          if (r.output() != null) {
            throw new BadArgumentException(r.where() + "output: a quality job writes no file; its scores are its result");
          }
          return QualityJob.spec(VolumeRefs.existing(engine, r.where() + "options.reference", o.reference()), r.input(),
              r.resources());
        }));
  }

  private static JobRequestType type(String name, boolean needsOutput, Function<JobRequestType.Request, JobSpec> spec) {
    return new JobRequestType() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean needsOutput() {
        return needsOutput;
      }

      @Override
      public JobSpec spec(Request request) {
        return spec.apply(request);
      }
    };
  }
}
