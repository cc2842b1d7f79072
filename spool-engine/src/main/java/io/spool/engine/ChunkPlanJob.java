package io.spool.engine;

import io.spool.media.ChunkPlan;
import io.spool.media.ChunkPlanner;
import io.spool.media.Metrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code transcode-plan} job of a {@link ChunkedTranscode}: cuts the input into chunks at its
 * keyframes, on a worker that reads the input. Its result carries the plan as JSON.
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
    return new JobResult(List.of(), Metrics.ZERO, 0, Map.of("plan", plan.toJson(),
        "chunks", Integer.toString(plan.chunks().size())));
  }
}
