package io.spool.http.internal;

import io.javalin.http.Context;
import io.spool.engine.BatchHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.Resources;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeJob;
import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.Preset;
import io.spool.media.SpoolException;
import io.spool.media.TranscodeOptions;
import io.spool.media.internal.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/transcode?preset=web&height=720}: the upload (raw body, or the {@code file} part of
 * a form) is transcoded as a job and the result streamed back as the answer, with its type and a
 * file name; the upload and the result are removed afterwards, whatever happened.
 */
final class TranscodeRoute {
  private static final Logger LOG = LoggerFactory.getLogger(TranscodeRoute.class);
  /** A synchronous transcode's time limit per attempt unless {@code timeout} says otherwise. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  private static final Set<String> OPTION_KEYS = Set.of("preset", "height", "crf", "video_codec", "audio_bitrate", "upscale");
  private static final Set<String> RESOURCE_KEYS = Set.of("cpu", "memory", "gpu", "timeout", "retries");

  private final SpoolEngine engine;
  private final Admission admission;
  private final Uploads uploads;
  private final Path scratch;
  private final java.util.function.Consumer<JobRecord> onEnded;

  TranscodeRoute(SpoolEngine engine, Admission admission, Uploads uploads, Path scratch,
      java.util.function.Consumer<JobRecord> onEnded) {
    this.engine = engine;
    this.admission = admission;
    this.uploads = uploads;
    this.scratch = scratch;
    this.onEnded = onEnded;
  }

  void handle(Context ctx) throws IOException {
    Map<String, String> options = new HashMap<>();
    Map<String, String> needs = new HashMap<>();
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      if (e.getValue().size() != 1) {
        throw new BadArgumentException("query parameter '" + e.getKey() + "' is given " + e.getValue().size() + " times");
      }
      Map<String, String> into = OPTION_KEYS.contains(e.getKey()) ? options : RESOURCE_KEYS.contains(e.getKey()) ? needs : null;
      if (into == null) {
        throw new BadArgumentException("unknown query parameter '" + e.getKey() + "'; options are " + OPTION_KEYS
            + " and resources " + RESOURCE_KEYS);
      }
      into.put(e.getKey(), e.getValue().get(0));
    }
    // Everything about the request is checked before its body is read.
    TranscodeOptions opts = JobOptions.transcodeOf(options).build();
    Resources resources = JobOptions.needsOf(needs).build(engine.config().cpuCores(), DEFAULT_TIMEOUT);
    admission.take(1);
    Path dir = null;
    try {
      dir = Files.createTempDirectory(Files.createDirectories(scratch), "transcode-");
      Uploads.Upload upload = uploads.receive(ctx, dir);
      Preset preset = opts.preset();
      Path out = dir.resolve("output." + preset.extension());
      BatchHandle batch = engine.submit(TranscodeJob.NAME,
          List.of(TranscodeJob.spec(upload.file().toString(), out.toString(), opts, resources)), 1);
      String jobId = batch.jobIds().get(0);
      ctx.header("Spool-Job-Id", jobId);
      batch.await();
      JobRecord record = engine.store().job(jobId).filter(r -> r.outcome() != null)
          .orElseThrow(() -> new SpoolException(ErrorCode.INTERNAL, "job " + jobId + " ended without an outcome"));
      onEnded.accept(record);
      JobOutcome o = record.outcome();
      if (o.state() != JobState.SUCCEEDED) {
        throw JobFailures.of(o);
      }
      String name = preset.outputName(upload.name() == null ? "upload" : upload.name());
      ctx.disableCompression();
      ctx.status(200).contentType(contentType(preset))
          .header("Content-Disposition", "attachment; filename=\"" + name + "\"");
      ctx.res().setContentLengthLong(Files.size(out));
      try (InputStream in = Files.newInputStream(out); OutputStream body = ctx.outputStream()) {
        in.transferTo(body);
      }
    } finally {
      admission.release(1);
      if (dir != null) {
        remove(dir);
      }
    }
  }

  static String contentType(Preset preset) {
    return switch (preset.extension()) {
      case "mp4" -> "video/mp4";
      case "webm" -> "video/webm";
      case "mkv" -> "video/x-matroska";
      default -> "application/octet-stream";
    };
  }

  private static void remove(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      LOG.warn("scratch folder {} not removed: {}", dir, e.getMessage());
    }
  }
}
