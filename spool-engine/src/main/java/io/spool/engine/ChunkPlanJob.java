package io.spool.engine;

import io.spool.media.ChunkPlan;
import io.spool.media.ChunkPlanner;
import io.spool.media.FileIdentity;
import io.spool.media.Metrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code transcode-plan} job of a {@link ChunkedTranscode}: cuts the input into chunks at its
 * keyframes, on a worker that reads the input. Its result carries the plan as JSON, and a key that
 * names this input (as it is now), these options and this plan in the chunks' file names, so that
 * a resumed transcode reuses only chunks made for the very same work.
 */
final class ChunkPlanJob implements JobType {
  static final String NAME = "transcode-plan";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    Path in = ctx.input((String) params.get("input"));
    double seconds = ((Number) params.get("chunkSeconds")).doubleValue();
    ChunkPlan plan = ChunkPlanner.using(ctx.tools()).plan(in, TranscodeJob.options(params), seconds, ctx.scratch());
    String json = plan.toJson();
    return new JobResult(List.of(), Metrics.ZERO, 0, Map.of("plan", json, "key", key(in, params, json),
        "chunks", Integer.toString(plan.chunks().size())));
  }

  private static String key(Path in, Map<String, Object> params, String plan) {
    StringBuilder what = new StringBuilder(in.toAbsolutePath().toString()).append('\n');
    FileIdentity.of(in).ifPresent(id -> what.append(id).append('\n'));
    new TreeMap<>(params).forEach((k, v) -> what.append(k).append('=').append(v).append('\n'));
    what.append(plan);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(what.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
