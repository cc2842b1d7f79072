package io.spool.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.JobSpec;
import io.spool.engine.SpoolEngine;
import io.spool.http.JobRequestType;
import io.spool.media.BadArgumentException;
import io.spool.volumes.VolumePath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bodies of {@code POST /v1/jobs} and {@code POST /v1/batches}, and the job specs they become.
 * Inputs are volume paths that exist, finished resumable uploads ({@code upload:ID}) or, where the
 * server allows them, http(s) URLs it downloads first ({@link InputUrls}); outputs are
 * volume paths, whose volume is made where it is missing (as the guide's {@code create_if_missing=True}).
 */
final class JobRequests {
  /** An asynchronous job's time limit per attempt unless its resources say otherwise. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  private final SpoolEngine engine;
  private final ResumableUploads uploads;
  private final InputUrls urls;
  private final Map<String, JobRequestType> types = new LinkedHashMap<>();

  /** Requests for the built-in job types and {@code more}. */
  JobRequests(SpoolEngine engine, ResumableUploads uploads, InputUrls urls, List<JobRequestType> more) {
    this.engine = engine;
    this.uploads = uploads;
    this.urls = urls;
    for (JobRequestType t : JobRequestTypes.builtIn(engine)) {
      types.put(t.name(), t);
    }
    for (JobRequestType t : more) {
      types.put(t.name(), t);
    }
  }

  /** The job types a request may name, in the order they are listed. */
  List<String> types() {
    return List.copyOf(types.keySet());
  }

  /** {@code {"type": "transcode", "input": "media:raw/a.mov", "output": "media:web/a.mp4", "options": {...}, "resources": {...}, "webhook_url": "https://..."}}. */
  record Job(String type, String input, String output, JsonNode options, JobOptions.Needs resources,
      String webhookUrl, Boolean overwrite) {}

  /** One job of a batch; options and resources it leaves out are the batch's. */
  record Item(String input, String output, JsonNode options, JobOptions.Needs resources) {}

  /** {@code {"type": "transcode", "jobs": [{"input": ..., "output": ...}, ...], "options": {...}, "concurrency": 4, "webhook_url": ...}}. */
  record Batch(String type, List<Item> jobs, JsonNode options, JobOptions.Needs resources, Integer concurrency,
      String webhookUrl, Boolean overwrite) {}

  /**
   * The request's JSON body as {@code type}. It is read as a tree first, so that a refusal can
   * quote the value it refuses; malformed JSON is refused by the parser.
   */
  static <T> T parse(String body, Class<T> type) throws JsonProcessingException {
    if (body == null || body.isBlank()) {
      throw new BadArgumentException("the request needs a JSON body");
    }
    JsonNode tree;
    try (com.fasterxml.jackson.core.JsonParser p = HttpJson.MAPPER.createParser(body)) {
      tree = HttpJson.MAPPER.readTree(p);
      if (p.nextToken() != null) {
        throw new BadArgumentException("malformed JSON: something follows the body's JSON value (line "
            + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr() + ")");
      }
    } catch (java.io.IOException e) {
      if (e instanceof JsonProcessingException j) {
        throw j;
      }
      throw new java.io.UncheckedIOException(e);
    }
    T value = HttpJson.convert(tree, type, "");
    if (value == null) {
      throw new BadArgumentException("the request's JSON body must be an object");
    }
    return value;
  }

  /** The job {@code j} asks for; an input URL is downloaded into {@code fetched}. */
  JobSpec spec(Job j, InputUrls.Scope fetched) {
    JobRequestType type = type(j.type());
    return spec(type, "", j.input(), j.output(), j.options(), j.resources(), Boolean.TRUE.equals(j.overwrite()), fetched);
  }

  /** The jobs {@code b} asks for; input URLs are downloaded into {@code fetched} as their items are read. */
  List<JobSpec> specs(Batch b, InputUrls.Scope fetched) {
    JobRequestType type = type(b.type());
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
      specs.add(spec(type, "jobs[" + i + "].", item.input(), item.output(),
          item.options() != null ? item.options() : b.options(), item.resources() != null ? item.resources() : b.resources(),
          Boolean.TRUE.equals(b.overwrite()), fetched));
    }
    return specs;
  }

  private JobRequestType type(String type) {
    if (type == null) {
      throw new BadArgumentException("type is needed; job types: " + types());
    }
    JobRequestType t = types.get(type);
    if (t == null) {
      throw new BadArgumentException("unknown job type '" + type + "'; job types: " + types());
    }
    return t;
  }

  private JobSpec spec(JobRequestType type, String where, String input, String output, JsonNode options,
      JobOptions.Needs needs, boolean overwrite, InputUrls.Scope fetched) {
    String in;
    String name;
    if (InputUrls.isUrl(input)) {
      fetched.check(where + "input", input);
      if (output == null) {
        throw new BadArgumentException(where + "output is needed when the input is a URL: a volume path such as"
            + " media:web/a.mp4");
      }
      VolumeRefs.parse(where + "output", output); // refused before anything is downloaded
      InputUrls.Fetched f = fetched.fetch(where + "input", input);
      in = f.file().toString();
      name = f.name();
    } else if (input != null && input.startsWith(VolumeRefs.UPLOAD_PREFIX)) {
      // A finished resumable upload, read where the server keeps it.
      String id = input.substring(VolumeRefs.UPLOAD_PREFIX.length());
      in = uploads.finishedFile(id).toString();
      String filename = uploads.find(id).info().filename();
      name = filename != null ? filename : "upload-" + id;
      if (output == null) {
        throw new BadArgumentException(where + "output is needed when the input is an upload: a volume path such as"
            + " media:web/a.mp4");
      }
    } else {
      in = VolumeRefs.existing(engine, where + "input", input);
      name = VolumePath.parse(in).fileName();
    }
    String out = null;
    if (output != null || type.needsOutput()) {
      VolumePath o = VolumeRefs.parse(where + "output", output);
      if (!engine.volumes().exists(o.volume())) {
        engine.volumes().create(o.volume());
      }
      out = o.toString();
    }
    if (options != null && !options.isObject()) {
      throw new BadArgumentException(where + "options must be an object");
    }
    var resources = (needs == null ? new JobOptions.Needs(null, null, null, null, null) : needs)
        .build(1, DEFAULT_TIMEOUT);
    return type.spec(new JobRequestType.Request(in, name, out, options, resources, overwrite, where));
  }
}
