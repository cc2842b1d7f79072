package io.spool.cli;

import io.spool.engine.BatchHandle;
import io.spool.engine.JobOutcome;
import io.spool.engine.ResultsManifest;
import io.spool.engine.TranscodeBatch;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/** What a batch command follows while its batch runs, whatever the job type: for {@link BatchProgress}. */
interface BatchRun {
  /** The engine batch, or null when there was nothing left to run. */
  BatchHandle handle();

  /** Items an earlier run finished, not run again. */
  List<ResultsManifest.Line> skipped();

  /** How much work a job is estimated to be, relative to the others, where known. */
  OptionalDouble workOf(String jobId);

  /** The estimated work of all the jobs, where every one is known. */
  OptionalDouble totalWork();

  /** The input a job works on, or null. */
  String inputOf(String jobId);

  /** Hands on outcomes as jobs end (each written to the results manifest first); returns when the batch is over. */
  void drain(Consumer<JobOutcome> onEach);

  static BatchRun of(TranscodeBatch.Run run) {
    return new BatchRun() {
      @Override
      public BatchHandle handle() {
        return run.handle();
      }

      @Override
      public List<ResultsManifest.Line> skipped() {
        return run.skipped();
      }

      @Override
      public OptionalDouble workOf(String jobId) {
        return run.workOf(jobId);
      }

      @Override
      public OptionalDouble totalWork() {
        return run.totalWork();
      }

      @Override
      public String inputOf(String jobId) {
        TranscodeBatch.Item item = run.itemOf(jobId);
        return item == null ? null : item.input();
      }

      @Override
      public void drain(Consumer<JobOutcome> onEach) {
        run.drain(onEach);
      }
    };
  }

  /**
   * Cores per job of a batch of {@code jobs} on {@code cores}: shared out among the jobs that run
   * at once ({@code concurrency}, 0 for as many as the cores), at least one. Without --cpu, a batch
   * smaller than the host shares all its cores (one 8-core job for one input on 8 cores, not one
   * core and seven idle); a larger one runs one-core jobs, which use the cores best.
   */
  static int coresPerJob(int cores, int jobs, int concurrency) {
    int atOnce = Math.min(jobs, concurrency > 0 ? concurrency : cores);
    return Math.max(1, cores / Math.max(1, atOnce));
  }
}
