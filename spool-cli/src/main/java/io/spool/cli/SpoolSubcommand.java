package io.spool.cli;

import io.spool.engine.EngineConfig;
import io.spool.engine.JobStore;
import io.spool.engine.SpoolEngine;
import io.spool.media.Capabilities;
import io.spool.media.CapabilityProbe;
import io.spool.media.PriceTable;
import io.spool.media.Toolchain;
import io.spool.transcribe.TranscribeJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the common flags, the output streams, the tool locations. */
abstract class SpoolSubcommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Toolchain tools() {
    return Toolchain.locate();
  }

  /**
   * Starts the embedded engine for this command. GPU queues are served only where the cached
   * capability probe proved a GPU encoder, and there {@code gpu=any} jobs are priced as the GPU
   * it found; prices come from {@code SPOOL_HOME/prices.json} if present.
   */
  SpoolEngine startEngine() {
    return startEngine(java.util.Optional.empty());
  }

  /** The engine for this command: embedded, or submitting to the shared service given. */
  SpoolEngine startEngine(java.util.Optional<io.spool.engine.TemporalSettings> service) {
    EngineConfig config = engineConfig().build();
    return service.isPresent() ? SpoolEngine.connect(config, service.get()) : SpoolEngine.embedded(config);
  }

  /** This host's engine settings: tools, proven GPU, prices, and the job types beyond transcode. */
  EngineConfig.Builder engineConfig() {
    Toolchain tools = tools();
    Capabilities caps = CapabilityProbe.using(tools, SpoolHome.cache()).capabilities(false);
    Path pricesFile = SpoolHome.dir().resolve("prices.json");
    PriceTable prices = Files.isRegularFile(pricesFile) ? PriceTable.load(pricesFile) : PriceTable.REFERENCE;
    EngineConfig.Builder config = EngineConfig.newBuilder(SpoolHome.dir()).tools(tools).gpuEncode(caps.gpuEncode()).prices(prices)
        .jobType(new TranscribeJob(SpoolHome.models()));
    if (caps.gpuEncode()) {
      caps.gpuDevices().gpus().stream().findFirst().flatMap(g -> prices.kindOf(g.name())).ifPresent(config::gpuKind);
    }
    return config;
  }

  /** A warning that does not stop the command: one line on stderr. */
  void warn(String message) {
    err().println("spool: warning: " + message);
    err().flush();
  }

  /** The job records under the Spool home, warning on stderr about each damaged one that a list skips. */
  JobStore jobStore() {
    JobStore store = JobStore.at(SpoolHome.dir());
    store.onSkippedRecord(this::warn);
    return store;
  }

  /** Prints {@code value} as JSON with {@code --json}, else the given human text. */
  void print(Object value, String human) {
    if (Signals.stopping()) {
      return; // cancelled by a signal, which has said so: a result now would be a second answer
    }
    out().println(common.json ? Json.write(value) : human);
    out().flush();
  }
}
