package io.spool.http.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.spool.engine.AttemptRecord;
import io.spool.engine.BatchRecord;
import io.spool.engine.JobCost;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobRecord;
import io.spool.engine.JobState;
import io.spool.engine.RunningJob;
import io.spool.engine.SpoolEngine;
import io.spool.engine.WorkerRef;
import io.spool.media.Metrics;
import io.spool.volumes.LocalVolume;
import io.spool.volumes.Volume;
import io.spool.volumes.VolumePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What the API shows of jobs and batches. */
final class JobViews {
  /** Reads a detail's text as JSON only if it is one whole value: {@code 1280 x 720} is not the number 1280. */
  private static final ObjectReader DETAIL_READER = HttpJson.MAPPER.reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JobViews() {}

  record Job(String id, String batchId, String type, String state, String input, String output, Instant createdAt,
      Instant startedAt, Instant finishedAt, Progress progress, Integer attemptCount, List<Attempt> attempts,
      Metrics metrics, Double mediaSeconds, Double speed, JobCost cost, Error error, List<Output> outputs,
      Map<String, JsonNode> details, List<WebhookViews.Delivery> webhooks, String url) {}

  record Progress(double fraction, double speed, Double etaSeconds, int attempt, WorkerRef worker) {}

  record Attempt(int number, WorkerRef worker, Instant startedAt, Instant endedAt, String errorCode) {}

  record Error(String code, String message) {}

  /** A file a job made, where it can be downloaded. */
  record Output(String name, String path, Long sizeBytes, String url) {}

  record Batch(String id, String type, String state, Instant createdAt, Instant finishedAt, int jobCount,
      Map<String, Integer> jobStates, JobCost cost, List<String> jobIds, String url) {}

  static String state(JobState s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  /** A job in full: attempts, progress while it runs, outputs once it succeeded, webhook deliveries. */
  static Job full(SpoolEngine engine, JobRecord r, List<AttemptRecord> attempts, Optional<RunningJob> running,
      List<WebhookViews.Delivery> webhooks) {
    JobOutcome o = r.outcome();
    Progress p = running.map(x -> new Progress(x.fraction(), x.speed(), x.etaMillis() > 0 ? x.etaMillis() / 1000.0 : null,
        x.attempt(), x.worker())).orElse(null);
    List<Attempt> a = attempts.stream().map(x -> new Attempt(x.number(), x.worker(), x.startedAt(), x.endedAt(), x.errorCode()))
        .toList();
    return view(engine, r, o, p, a, webhooks);
  }

  /** A job as lists show it: no attempts, progress or deliveries. */
  static Job summary(SpoolEngine engine, JobRecord r) {
    return view(engine, r, r.outcome(), null, null, null);
  }

  private static Job view(SpoolEngine engine, JobRecord r, JobOutcome o, Progress p, List<Attempt> attempts,
      List<WebhookViews.Delivery> webhooks) {
    return new Job(r.id(), r.batchId(), r.type(), state(r.state()), shown(engine, r.input()), shown(engine, r.output()), r.createdAt(), r.startedAt(),
        o == null ? null : o.finishedAt(), p, o == null ? null : o.attempts(), attempts, o == null ? null : o.metrics(),
        o == null ? null : o.mediaSeconds(), o == null || o.speed() <= 0 ? null : o.speed(), o == null ? null : o.cost(),
        o == null || o.errorCode() == null ? null : new Error(o.errorCode(), shown(engine, o.error())),
        r.state() == JobState.SUCCEEDED ? outputs(engine, r) : null,
        o == null || o.details().isEmpty() ? null : details(o.details()), webhooks, "/v1/jobs/" + r.id());
  }

  /**
   * {@code text} of a job (its input, its error) as a client may see it: a resumable upload's file
   * named {@code upload:ID}, as the request named it, and any other file of the server's Spool home
   * (a volume's, a job's scratch) under {@code $SPOOL_HOME}, not where the server keeps it.
   */
  static String shown(SpoolEngine engine, String text) {
    String named = ResumableUploads.named(ResumableUploads.rootOf(engine), text);
    return named == null ? null : named.replace(engine.config().home().toAbsolutePath().toString(), "$SPOOL_HOME");
  }

  /**
   * A job's details as JSON values. The engine records every detail as text (a byte count as
   * {@code "1234"}, a flag as {@code "true"}, transcript segments as JSON text); a value that is
   * one whole JSON number, boolean, list or object is shown as that, anything else as the text.
   */
  static Map<String, JsonNode> details(Map<String, String> details) {
    Map<String, JsonNode> out = new java.util.TreeMap<>();
    details.forEach((k, v) -> out.put(k, value(v)));
    return out;
  }

  private static JsonNode value(String text) {
    if (text == null) {
      return NullNode.getInstance();
    }
    if (!text.isEmpty() && text.equals(text.strip())) {
      try {
        JsonNode n = DETAIL_READER.readTree(text);
        if (n != null && (n.isNumber() && Double.isFinite(n.doubleValue()) || n.isBoolean() || n.isContainerNode())) {
          return n;
        }
      } catch (java.io.IOException e) {
        // not JSON: shown as the text it is
      }
    }
    return TextNode.valueOf(text);
  }

  /** The files a succeeded job made in volumes (files outside volumes, from the CLI, are not served). */
  static List<Output> outputs(SpoolEngine engine, JobRecord r) {
    List<Output> out = new ArrayList<>();
    String ref = r.output();
    if (ref == null || ref.startsWith("/") || !engine.isVolumeRef(ref)) {
      return out;
    }
    VolumePath vp = VolumePath.parse(ref);
    Long size = null;
    try {
      Path f = engine.volumes().openLocal(vp.volume()).locate(vp.path());
      if (Files.isDirectory(f)) { // a folder output (HLS, thumbnails, frames): what its files hold
        try (java.util.stream.Stream<Path> files = Files.walk(f)) {
          size = files.filter(Files::isRegularFile).mapToLong(x -> x.toFile().length()).sum();
        }
      } else {
        size = Files.size(f);
      }
    } catch (IOException | RuntimeException e) {
      // removed since: listed without a size
    }
    out.add(new Output(vp.fileName(), ref, size, "/v1/jobs/" + r.id() + "/outputs/" + vp.fileName()));
    return out;
  }

  /** The output named {@code name} of a succeeded job opened for reading, from whichever volume holds it. */
  static Optional<Volume.Read> openOutput(SpoolEngine engine, JobRecord r, String name) {
    return outputRef(engine, r, name).flatMap(vp -> engine.volumes().open(vp.volume()).read(vp.path()));
  }

  /** The file of a succeeded job's output named {@code name}, if it has one on this host (in a local volume). */
  static Optional<Path> outputFile(SpoolEngine engine, JobRecord r, String name) {
    return outputRef(engine, r, name).flatMap(vp -> engine.volumes().open(vp.volume()) instanceof LocalVolume v
        ? Optional.of(v.locate(vp.path())).filter(Files::isRegularFile) : Optional.empty());
  }

  private static Optional<VolumePath> outputRef(SpoolEngine engine, JobRecord r, String name) {
    if (r.state() != JobState.SUCCEEDED) {
      return Optional.empty();
    }
    return outputs(engine, r).stream().filter(o -> o.name().equals(name)).findFirst().map(o -> VolumePath.parse(o.path()));
  }

  static Batch batch(BatchRecord b, Map<JobState, Integer> tally) {
    Map<String, Integer> states = new java.util.LinkedHashMap<>();
    for (JobState s : JobState.values()) {
      states.put(state(s), tally.getOrDefault(s, 0));
    }
    return new Batch(b.id(), b.type(), state(b.state()), b.createdAt(), b.finishedAt(), b.jobIds().size(), states, b.cost(),
        b.jobIds(), "/v1/batches/" + b.id());
  }
}
