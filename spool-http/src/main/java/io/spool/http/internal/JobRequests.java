package io.spool.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spool.engine.JobSpec;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeJob;
import io.spool.media.BadArgumentException;
import io.spool.media.InputNotFoundException;
import io.spool.media.TranscodeOptions;
import io.spool.volumes.VolumePath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of {@code POST /v1/jobs} and {@code POST /v1/batches}, and the job specs they become.
 * Inputs and outputs are volume paths; an input must exist, an output's volume is made where it is
 * missing (as the guide's {@code create_if_missing=True}).
 */
final class JobRequests {
  /** An asynchronous job's time limit per attempt unless its resources say otherwise. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
  static final List<String> TYPES = List.of(TranscodeJob.NAME);

  private JobRequests() {}

  /** {@code {"type": "transcode", "input": "media:raw/a.mov", "output": "media:web/a.mp4", "options": {...}, "resources": {...}, "webhook_url": "https://..."}}. */
  record Job(String type, String input, String output, JobOptions.Transcode options, JobOptions.Needs resources,
      String webhookUrl, Boolean overwrite) {}

  /** One job of a batch; options and resources it leaves out are the batch's. */
  record Item(String input, String output, JobOptions.Transcode options, JobOptions.Needs resources) {}

  /** {@code {"type": "transcode", "jobs": [{"input": ..., "output": ...}, ...], "options": {...}, "concurrency": 4, "webhook_url": ...}}. */
  record Batch(String type, List<Item> jobs, JobOptions.Transcode options, JobOptions.Needs resources, Integer concurrency,
      String webhookUrl, Boolean overwrite) {}

  static <T> T parse(String body, Class<T> type) throws JsonProcessingException {
    if (body == null || body.isBlank()) {
      throw new BadArgumentException("the request needs a JSON body");
    }
    T value = HttpJson.MAPPER.readValue(body, type);
    if (value == null) {
      throw new BadArgumentException("the request's JSON body must be an object");
    }
    return value;
  }

  static JobSpec spec(SpoolEngine engine, ResumableUploads uploads, Job j) {
    checkType(j.type());
    return transcode(engine, uploads, "", j.input(), j.output(), j.options(), j.resources(), Boolean.TRUE.equals(j.overwrite()));
  }

  static List<JobSpec> specs(SpoolEngine engine, ResumableUploads uploads, Batch b) {
    checkType(b.type());
    if (b.jobs() == null || b.jobs().isEmpty()) {
      throw new BadArgumentException("a batch needs at least one job in 'jobs'");
    }
    if (b.concurrency() != null && b.concurrency() < 1) {
      throw new BadArgumentException("concurrency must be at least 1, got " + b.concurrency());
    }
    List<JobSpec> specs = new ArrayList<>(b.jobs().size());
    for (int i = 0; i < b.jobs().size(); i++) {
      Item item = b.jobs().get(i);
      if (item == null) {
        throw new BadArgumentException("jobs[" + i + "] is null");
      }
      specs.add(transcode(engine, uploads, "jobs[" + i + "].", item.input(), item.output(),
          item.options() != null ? item.options() : b.options(), item.resources() != null ? item.resources() : b.resources(),
          Boolean.TRUE.equals(b.overwrite())));
    }
    return specs;
  }

  private static void checkType(String type) {
    if (type == null) {
      throw new BadArgumentException("type is needed; job types: " + TYPES);
    }
    if (!TYPES.contains(type)) {
      throw new BadArgumentException("unknown job type '" + type + "'; job types: " + TYPES);
    }
  }

  private static JobSpec transcode(SpoolEngine engine, ResumableUploads uploads, String where, String input, String output,
      JobOptions.Transcode options, JobOptions.Needs needs, boolean overwrite) {
    if (input != null && input.startsWith(VolumeRefs.UPLOAD_PREFIX)) {
      return fromUpload(engine, uploads, where, input.substring(VolumeRefs.UPLOAD_PREFIX.length()), output, options, needs,
          overwrite);
    }
    VolumePath in = VolumeRefs.parse(where + "input", input);
    if (!engine.volumes().exists(in.volume())) {
      throw new InputNotFoundException(where + "input: no volume named '" + in.volume() + "'");
    }
    if (!engine.volumes().open(in.volume()).exists(in.path())) {
      throw new InputNotFoundException(where + "input: not found in volume " + in.volume() + ": " + in.path());
    }
    TranscodeOptions opts = (options == null ? new JobOptions.Transcode(null, null, null, null, null, null) : options).build();
    VolumePath out;
    if (output == null) {
      String name = in.fileName();
      String dir = in.path().substring(0, in.path().length() - name.length());
      out = new VolumePath(in.volume(), dir + opts.preset().outputName(name));
    } else {
      out = VolumeRefs.parse(where + "output", output);
    }
    return spec(engine, in.toString(), out, opts, needs, overwrite);
  }

  /** A job whose input is a finished resumable upload ({@code upload:ID}); its output must be named. */
  private static JobSpec fromUpload(SpoolEngine engine, ResumableUploads uploads, String where, String id, String output,
      JobOptions.Transcode options, JobOptions.Needs needs, boolean overwrite) {
    java.nio.file.Path file = uploads.finishedFile(id);
    if (output == null) {
      throw new BadArgumentException(where + "output is needed when the input is an upload: a volume path such as"
          + " media:web/a.mp4");
    }
    TranscodeOptions opts = (options == null ? new JobOptions.Transcode(null, null, null, null, null, null) : options).build();
    return spec(engine, file.toString(), VolumeRefs.parse(where + "output", output), opts, needs, overwrite);
  }

  private static JobSpec spec(SpoolEngine engine, String input, VolumePath out, TranscodeOptions opts, JobOptions.Needs needs,
      boolean overwrite) {
    if (!engine.volumes().exists(out.volume())) {
      engine.volumes().create(out.volume());
    }
    var resources = (needs == null ? new JobOptions.Needs(null, null, null, null, null) : needs)
        .build(1, DEFAULT_TIMEOUT);
    return TranscodeJob.spec(input, out.toString(), opts, resources, overwrite);
  }
}
