package io.spool.cli;

import io.spool.engine.EngineConfig;
import io.spool.engine.JobOutcome;
import io.spool.engine.JobState;
import io.spool.engine.Resources;
import io.spool.engine.SpoolEngine;
import io.spool.engine.TranscodeJob;
import io.spool.media.Capabilities;
import io.spool.media.CapabilityProbe;
import io.spool.media.GpuDevices;
import io.spool.media.GpuEncoderCheck;
import io.spool.media.SampleMedia;
import io.spool.media.SpoolException;
import io.spool.media.Toolchain;
import io.spool.media.TranscodeOptions;
import io.spool.media.internal.FileTrees;
import io.spool.transcribe.WhisperModels;
import io.spool.transcribe.SpeechEngine;
import io.spool.transcribe.Transcriber;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spool doctor}: what this host can do. */
@Command(name = "doctor", description = "Show what this host can do: ffmpeg, codecs, filters, GPU encode, CPU, memory, disk.")
final class DoctorCommand extends SpoolSubcommand {
  /** Encoders and filters Spool's operations rely on. */
  static final List<String> KEY_ENCODERS = List.of("libx264", "aac", "libx265", "libvpx-vp9", "libsvtav1", "libopus");
  static final List<String> KEY_FILTERS = List.of("scale", "bwdif", "zscale", "tonemap", "loudnorm", "drawtext", "scale_cuda");
  /** Without these the default preset cannot run. */
  static final List<String> REQUIRED = List.of("libx264", "aac");

  @Option(names = "--refresh", description = "Probe again instead of using the cached answer.")
  boolean refresh;

  /** The report: the probe plus host facts and a verdict. */
  record Report(boolean ok, List<String> problems, String ffprobePath, Host host, long engineStartMillis,
      EngineCheck engineJob, Speech speech, Capabilities capabilities) {}

  /**
   * What {@code spool transcribe} can use here: the Whisper models found (none is no problem: the
   * pocketsphinx engine needs none), and whether the pocketsphinx engine is ready or why not.
   */
  record Speech(String modelsFolder, List<WhisperModels.Found> whisperModels, boolean pocketsphinx, String pocketsphinxNote) {}

  /** A one-second test transcode run as a job through the embedded engine, start to finish. */
  record EngineCheck(boolean ok, long millis, String error) {}

  record Host(int cpuCores, long memoryBytes, String spoolHome, long spoolHomeFreeBytes, String tmpDir, long tmpFreeBytes,
      List<GpuDevices.Gpu> gpus, String gpuNote) {}

  /**
   * What this host can do without running a job: the probe (cached unless {@code refresh}), the
   * host's facts, and what is missing. {@code spool serve} answers {@code GET /v1/capabilities} with it.
   */
  record HostReport(boolean ok, List<String> problems, String ffprobePath, Host host, Capabilities capabilities) {}

  static HostReport hostReport(Toolchain tools, boolean refresh) {
    Capabilities caps = CapabilityProbe.using(tools, SpoolHome.cache()).capabilities(refresh);
    List<String> problems = new ArrayList<>();
    for (String enc : REQUIRED) {
      if (!caps.canEncode(enc)) {
        problems.add("encoder " + enc + " is missing: the web preset cannot run");
      }
    }
    return new HostReport(problems.isEmpty(), problems, tools.ffprobe().toString(), host(caps.gpuDevices()), caps);
  }

  @Override
  public Integer call() {
    Toolchain tools = tools();
    HostReport probed = hostReport(tools, refresh);
    Capabilities caps = probed.capabilities();
    List<String> problems = new ArrayList<>(probed.problems());
    Host host = probed.host();
    long engineStart = -1;
    EngineCheck engineJob;
    try {
      Path scratch = Files.createTempDirectory("spool-doctor-");
      try (SpoolEngine engine = SpoolEngine.embedded(EngineConfig.newBuilder(scratch.resolve("home")).tools(tools).build())) {
        engineStart = engine.startTime().toMillis();
        engineJob = testJob(engine, tools, scratch);
      } finally {
        FileTrees.delete(scratch);
      }
    } catch (IOException e) {
      engineJob = new EngineCheck(false, 0, "no temporary folder for it: " + e.getMessage());
    }
    if (!engineJob.ok()) {
      problems.add("a test job through the embedded engine failed: " + engineJob.error());
    }
    Report report = new Report(problems.isEmpty(), problems, tools.ffprobe().toString(), host, engineStart, engineJob,
        speech(tools, caps), caps);
    print(report, human(report));
    return problems.isEmpty() ? ExitCodes.OK : ExitCodes.ENVIRONMENT;
  }

  /**
   * Transcodes a generated one-second clip as a job, as a batch would (its records stay in
   * {@code scratch}); the time is the job's, from submission to outcome.
   */
  private static EngineCheck testJob(SpoolEngine engine, Toolchain tools, Path scratch) {
    long t0 = System.nanoTime();
    try {
      Path sample = scratch.resolve("sample.mp4");
      SampleMedia.write(tools, sample, 320, 240, 25, 1);
      t0 = System.nanoTime();
      JobOutcome o = engine.remote(TranscodeJob.spec(sample.toString(), scratch.resolve("sample.web.mp4").toString(),
          TranscodeOptions.newBuilder().build(), Resources.DEFAULT));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return o.state() == JobState.SUCCEEDED ? new EngineCheck(true, ms, null)
          : new EngineCheck(false, ms, o.error() + " [" + o.errorCode() + "]");
    } catch (SpoolException e) {
      return new EngineCheck(false, (System.nanoTime() - t0) / 1_000_000, e.getMessage() + " [" + e.code() + "]");
    }
  }

  private static Speech speech(Toolchain tools, Capabilities caps) {
    WhisperModels models = WhisperModels.in(SpoolHome.models(), System.getenv());
    String note = !caps.hasFilter("asr") ? "this ffmpeg has no asr filter"
        : Transcriber.using(tools, models).problem(SpeechEngine.POCKETSPHINX).orElse(null);
    return new Speech(models.folder().toString(), models.list(), note == null, note);
  }

  private static String human(Report r) {
    Capabilities c = r.capabilities();
    StringBuilder sb = new StringBuilder();
    sb.append(r.ok() ? "spool doctor: ready\n" : "spool doctor: NOT ready\n");
    r.problems().forEach(p -> sb.append("  problem: ").append(p).append('\n'));
    sb.append(String.format(Locale.ROOT, "  ffmpeg     %s (%s)%n", c.ffmpegVersion(), c.ffmpegPath()));
    sb.append(String.format(Locale.ROOT, "  ffprobe    %s%n", r.ffprobePath()));
    sb.append("  encoders   ");
    KEY_ENCODERS.forEach(e -> sb.append(e).append(c.canEncode(e) ? " yes  " : " NO  "));
    sb.append("\n  filters    ");
    KEY_FILTERS.forEach(f -> sb.append(f).append(c.hasFilter(f) ? " yes  " : " NO  "));
    sb.append(String.format(Locale.ROOT, "%n  hwaccels   %s%n", c.hwaccels().isEmpty() ? "none" : String.join(", ", c.hwaccels())));
    Host h = r.host();
    if (h.gpus().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "  GPU        none seen (%s)%n", h.gpuNote()));
    }
    for (GpuDevices.Gpu g : h.gpus()) {
      sb.append(String.format(Locale.ROOT, "  GPU        %s, %s, driver %s%n", g.name(), Units.bytes(g.memoryMiB() << 20), g.driver()));
    }
    sb.append(String.format(Locale.ROOT, "  GPU encode %s%n", c.gpuEncode() ? "yes"
        : "no (GPU jobs run on the CPU, with the matching CPU encoder)"));
    for (GpuEncoderCheck g : c.gpuEncoders()) {
      sb.append(String.format(Locale.ROOT, "    %-11s %s%n", g.encoder(), g.works() ? "works" : g.reason()));
    }
    sb.append(String.format(Locale.ROOT, "  engine     embedded Temporal service and workers start in %d ms; a 1 s test job %s in %d ms%n",
        r.engineStartMillis(), r.engineJob().ok() ? "ran" : "FAILED", r.engineJob().millis()));
    Speech sp = r.speech();
    if (sp.whisperModels().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "  whisper    no model (put a ggml model such as %s in %s, or set %s)%n",
          WhisperModels.SUGGESTED, sp.modelsFolder(), WhisperModels.ENV));
    }
    for (WhisperModels.Found m : sp.whisperModels()) {
      sb.append(String.format(Locale.ROOT, "  whisper    %s (%s, %s): %s%n", m.file(), m.source(), Units.bytes(m.sizeBytes()),
          m.usable() ? m.kind() : "UNUSABLE, " + m.problem()));
    }
    sb.append(String.format(Locale.ROOT, "  asr        pocketsphinx %s%n", sp.pocketsphinx() ? "ready (English)" : "not ready: " + sp.pocketsphinxNote()));
    sb.append(String.format(Locale.ROOT, "  cpu        %s%n", Units.count(h.cpuCores(), "core")));
    sb.append(String.format(Locale.ROOT, "  memory     %s%n", Units.bytes(h.memoryBytes())));
    sb.append(String.format(Locale.ROOT, "  disk       %s free in %s; %s free in %s%n",
        Units.bytes(h.spoolHomeFreeBytes()), h.spoolHome(), Units.bytes(h.tmpFreeBytes()), h.tmpDir()));
    sb.append(String.format(Locale.ROOT, "  probed     %s%s", c.probedAt(), " (spool doctor --refresh to probe again)"));
    return sb.toString();
  }

  private static Host host(GpuDevices.Found gpus) {
    long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize() : Runtime.getRuntime().maxMemory();
    Path home = SpoolHome.dir();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    return new Host(Runtime.getRuntime().availableProcessors(), memory,
        home.toString(), freeBytes(home), tmp.toString(), freeBytes(tmp), gpus.gpus(), gpus.note());
  }

  private static long freeBytes(Path p) {
    Path existing = p.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing == null ? 0 : Files.getFileStore(existing).getUsableSpace();
    } catch (IOException e) {
      return 0;
    }
  }
}
