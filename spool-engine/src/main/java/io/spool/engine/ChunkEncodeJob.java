package io.spool.engine;

import io.spool.media.ChunkPlan;
import io.spool.media.ChunkedTranscoder;
import io.spool.media.TranscodeOptions;
import io.spool.volumes.Volume;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code transcode-chunk} job of a {@link ChunkedTranscode}: encodes one chunk of the video
 * ({@code part=video}, its plan holding that chunk alone) or the whole audio ({@code part=audio},
 * no plan needed; details {@code audio=none} and no file for an input without audio) into a file
 * of the work folder. With {@code reuse}, a file an earlier run left there that holds
 * what the plan asks for is kept instead of encoded again.
 */
final class ChunkEncodeJob implements JobType {
  static final String NAME = "transcode-chunk";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public JobResult run(JobContext ctx, Map<String, Object> params) {
    TranscodeOptions options = TranscodeJob.fitted(TranscodeJob.options(params), ctx).build();
    boolean audio = "audio".equals(params.get("part"));
    Path in = ctx.input((String) params.get("input"));
    String outRef = (String) params.get("output");
    ChunkedTranscoder chunker = ChunkedTranscoder.using(ctx.tools());
    ChunkPlan plan = audio ? null : ChunkPlan.fromJson((String) params.get("plan"));
    ChunkPlan.Chunk chunk = audio ? null : plan.chunks().get(0);
    if (Boolean.TRUE.equals(params.get("reuse")) && ctx.exists(outRef)) {
      Path earlier = ctx.input(outRef);
      Optional<ChunkedTranscoder.Part> done = audio ? chunker.encodedAudio(earlier)
          : chunker.encodedChunk(plan, chunk, earlier);
      if (done.isPresent()) {
        return result(outRef, done.get(), audio ? -1 : chunk.index(), true);
      }
    }
    try (Volume.Write out = ctx.output(outRef)) {
      if (audio) {
        Optional<ChunkedTranscoder.Part> part = chunker.encodeAudio(in, options, out.file(), ctx::progress);
        if (part.isEmpty()) {
          return new JobResult(List.of(), io.spool.media.Metrics.ZERO, 0, Map.of("part", "audio", "audio", "none"));
        }
        out.commit();
        return result(outRef, part.get(), -1, false);
      }
      ChunkedTranscoder.Part part = chunker.encodeChunk(in, plan, chunk, options, out.file(), ctx::progress);
      out.commit();
      return result(outRef, part, chunk.index(), false);
    }
  }

  private static JobResult result(String outRef, ChunkedTranscoder.Part part, int index, boolean reused) {
    return new JobResult(List.of(outRef), part.metrics(), reused ? 0 : part.mediaSeconds(), Map.of(
        "part", index < 0 ? "audio" : "video", "chunk", Integer.toString(index), "frames", Long.toString(part.frames()),
        "reused", Boolean.toString(reused)));
  }
}
