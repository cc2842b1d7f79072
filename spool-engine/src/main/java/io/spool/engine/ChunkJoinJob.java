package io.spool.engine;

import io.spool.media.ChunkPlan;
import io.spool.media.ChunkedTranscoder;
import io.spool.media.MediaStream;
import io.spool.media.Metrics;
import io.spool.media.OutputExistsException;
import io.spool.media.TranscodeOptions;
import io.spool.media.TranscodeResult;
import io.spool.volumes.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code transcode-join} job of a {@link ChunkedTranscode}: joins the encoded chunks and the
 * audio into the output without encoding again, publishes it like a transcode does, and then
 * removes the work folder's files: until the output is there, they are what a resumed transcode
 * starts from.
 */
final class ChunkJoinJob implements JobType {
  static final String NAME = "transcode-join";
  private static final Logger LOG = LoggerFactory.getLogger(ChunkJoinJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    TranscodeOptions options = TranscodeJob.fitted(TranscodeJob.options(params), ctx).build();
    ChunkPlan plan = ChunkPlan.fromJson((String) params.get("plan"));
    Path in = ctx.input((String) params.get("input"));
    String outRef = (String) params.get("output");
    boolean overwrite = Boolean.TRUE.equals(params.get("overwrite")) || ctx.publishedByThisJob(outRef);
    if (!overwrite && ctx.exists(outRef)) {
      throw new OutputExistsException(outRef);
    }
    List<String> chunkRefs = strings(params.get("chunks"));
    List<?> frames = (List<?>) params.get("frames");
    List<ChunkedTranscoder.Part> parts = new ArrayList<>();
    for (int i = 0; i < chunkRefs.size(); i++) {
      long n = ((Number) frames.get(i)).longValue();
      parts.add(new ChunkedTranscoder.Part(ctx.input(chunkRefs.get(i)), n, plan.seconds(n), Metrics.ZERO));
    }
    String audioRef = (String) params.get("audio");
    ChunkedTranscoder.Part audio = audioRef == null ? null
        : new ChunkedTranscoder.Part(ctx.input(audioRef), 0, plan.durationSeconds(), Metrics.ZERO);
    TranscodeResult r;
    try (Volume.Write out = ctx.output(outRef)) {
      r = ChunkedTranscoder.using(ctx.tools()).join(in, plan, parts, audio, options, out.file(), ctx.scratch(), ctx::progress);
      if (overwrite) {
        out.commit();
      } else {
        out.commitNew(); // a file that appeared meanwhile is left alone
      }
    }
    List<String> made = new ArrayList<>(chunkRefs);
    if (audioRef != null) {
      made.add(audioRef);
    }
    removeWorkFiles(ctx, made, (String) params.get("workDir"));
    Map<String, String> details = new HashMap<>();
    details.put("preset", r.preset());
    details.put("videoCodec", String.valueOf(r.videoCodec()));
    details.put("inputBytes", Long.toString(r.inputBytes()));
    details.put("outputBytes", Long.toString(r.outputBytes()));
    if (r.width() > 0) {
      details.put("size", r.width() + "x" + r.height());
    }
    details.put("streams", r.outputInfo().streams().stream().map(MediaStream::codec).collect(Collectors.joining("/")));
    details.put("chunks", Integer.toString(parts.size()));
    details.put("frames", Long.toString(parts.stream().mapToLong(ChunkedTranscoder.Part::frames).sum()));
    return new JobResult(List.of(outRef), r.metrics(), r.durationSeconds(), details);
  }

  private static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  /**
   * Removes the chunk and audio files the output was made of, and those that runs of other plans
   * left in the work folder (named by {@link ChunkedTranscode#WORK_FILE}), then the folder if
   * nothing else is left in it. The output is published by then: a failure here costs disk space,
   * not the job.
   */
  private static void removeWorkFiles(JobContext ctx, List<String> files, String workDir) {
    try {
      for (String f : files) {
        ctx.remove(f);
      }
      // In a volume kept elsewhere (S3) a folder is only a prefix, gone with its last file.
      Path dir = workDir == null ? null : ctx.localFile(workDir).orElse(null);
      if (dir == null || !Files.isDirectory(dir)) {
        return;
      }
      try (var inside = Files.list(dir)) {
        for (Path f : (Iterable<Path>) inside::iterator) {
          if (ChunkedTranscode.WORK_FILE.matcher(f.getFileName().toString()).matches()) {
            Files.deleteIfExists(f);
          }
        }
      }
      try (var left = Files.list(dir)) {
        if (left.findAny().isEmpty()) {
          Files.deleteIfExists(dir);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove the chunk files in {}: {}", workDir, e.toString());
    }
  }
}
