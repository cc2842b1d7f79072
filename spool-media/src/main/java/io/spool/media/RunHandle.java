package io.spool.media;

import io.spool.media.internal.ChildUsage;
import io.spool.media.internal.ExitCleanup;
import io.spool.media.internal.FailureClassifier;
import io.spool.media.internal.ProcStat;
import io.spool.media.internal.ProcessTree;
import io.spool.media.internal.StderrTail;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A running ffmpeg process: cancel it, or await its result. */
public final class RunHandle {
  /**
   * How long ffmpeg may take to stop after SIGTERM before it is killed. Short: ffmpeg answers
   * SIGTERM by flushing its encoders, which is wasted work for an output that will be discarded.
   */
  private static final Duration GRACE = Duration.ofMillis(500);
  private static final long SAMPLE_MILLIS = 200;
  private static final Pattern BENCH_TIMES =
      Pattern.compile("bench: utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s");
  private static final Pattern BENCH_RSS = Pattern.compile("bench: maxrss=([0-9]+)kB");

  private enum Ending { TIMEOUT, CANCEL, MEMORY }

  private final Process process;
  private final RunOptions options;
  private final List<Path> outputs;
  private final long startNanos = System.nanoTime();
  private final StderrTail tail = new StderrTail(40);
  private final java.util.function.UnaryOperator<String> scrub;
  private final AtomicReference<Ending> ending = new AtomicReference<>();
  private final Thread stdoutReader;
  private final Thread stderrReader;
  private final Thread monitor;
  private final ExitCleanup.Registration onExit;
  private final UsageMeter meter;
  private final ChildUsage.Report usage = new ChildUsage.Report();
  private final java.util.concurrent.atomic.AtomicBoolean recorded = new java.util.concurrent.atomic.AtomicBoolean();
  /** The tool's own pid once known: the wrapper's child, or the process itself when unwrapped. */
  private volatile long toolPid = -1;
  private volatile ProcStat.Sample lastSample = ProcStat.Sample.NONE;
  private volatile long peakRss;
  private volatile double benchUser = -1;
  private volatile double benchSystem = -1;
  private volatile long benchRss = -1;

  /**
   * @param progress whether ffmpeg reports its progress on standard output (else frames go there)
   * @param scrub what each stderr line goes through before it is kept: it takes out credentials
   */
  RunHandle(Process process, RunOptions options, List<Path> outputs, UsageMeter meter, boolean progress,
      java.util.function.UnaryOperator<String> scrub) {
    this.process = process;
    this.scrub = scrub;
    this.options = options;
    this.outputs = List.copyOf(outputs);
    this.meter = meter;
    this.stdoutReader = progress ? daemon("ffmpeg-progress-" + process.pid(), this::readProgress) : null;
    this.stderrReader = daemon("ffmpeg-stderr-" + process.pid(), this::readStderr);
    this.monitor = daemon("ffmpeg-monitor-" + process.pid(), this::watch);
    this.onExit = ExitCleanup.register(ExitCleanup.Phase.END_PROCESSES, this::cancel);
  }

  /** The pid of the process started: on Linux the small wrapper that measures ffmpeg, its parent. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Where raw frames go in, for a command that reads them ({@link Input#fromStdin}); close it after the last. */
  public java.io.OutputStream stdin() {
    return process.getOutputStream();
  }

  /** Where raw frames come out, for a command that writes them ({@link Output.Builder#toStdout}). */
  public java.io.InputStream stdout() {
    if (stdoutReader != null) {
      throw new IllegalStateException("this ffmpeg reports its progress on standard output, not frames");
    }
    return process.getInputStream();
  }

  /**
   * Ends the process tree and returns once it is gone and what it used is recorded;
   * {@link #await()} then throws {@link CancelledException}.
   */
  public void cancel() {
    end(Ending.CANCEL);
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        try {
          finish();
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Once the process has exited: waits for its output to be read, stops watching it, and records
   * what it used with the meter, once.
   */
  private Metrics finish() throws InterruptedException {
    if (stdoutReader != null) {
      stdoutReader.join();
    }
    stderrReader.join();
    monitor.interrupt();
    monitor.join();
    Metrics metrics = metrics();
    if (recorded.compareAndSet(false, true)) {
      meter.add(metrics);
    }
    return metrics;
  }

  /**
   * Waits for ffmpeg to exit.
   *
   * @return the metrics of a successful run
   * @throws SpoolException the classified failure
   * @throws InterruptedException if the waiting thread is interrupted (the process keeps running;
   *     call {@link #cancel()})
   */
  public RunResult await() throws InterruptedException {
    int status = process.waitFor();
    onExit.close();
    Metrics metrics = finish();
    Ending why = ending.get();
    if (why == Ending.CANCEL) {
      throw new CancelledException(ExitCleanup.exiting() ? "interrupted: Spool was stopped; ffmpeg was ended"
          : "cancelled; ffmpeg was ended");
    }
    if (why == Ending.TIMEOUT) {
      throw new TimeoutExceededException(
          "timed out after " + human(options.timeout()) + "; ffmpeg was ended", tail.lines(), null);
    }
    if (why == Ending.MEMORY) {
      throw OutOfMemoryException.overAllowance(String.format(java.util.Locale.ROOT,
          "needs more memory: ffmpeg grew past the %d MiB limit", options.memoryLimitBytes() >> 20),
          tail.lines());
    }
    if (status != 0 || FailureClassifier.outputCutShort(tail.lines())) {
      throw FailureClassifier.classify("ffmpeg", status, tail.lines(), outputs);
    }
    return new RunResult(metrics, tail.lines());
  }

  /**
   * What the run has used so far (or in total, once it has exited): the kernel's accounting of the
   * whole process once it has ended, else the latest sample of it (or, where neither is to be had,
   * ffmpeg's own {@code -benchmark} report, which leaves out its start).
   */
  public Metrics metrics() {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    ProcStat.Sample s = lastSample;
    double user = usage.userSeconds().orElse(Math.max(benchUser, s.userSeconds()));
    double sys = usage.systemSeconds().orElse(Math.max(benchSystem, s.systemSeconds()));
    long rss = Math.max(peakRss, benchRss);
    return new Metrics(wall, user, sys, Math.max(0, rss));
  }

  /** The tool's pid, or -1 while the wrapper has not started it yet. */
  private long toolPid() {
    long pid = toolPid;
    if (pid < 0) {
      pid = ChildUsage.wraps() ? process.children().mapToLong(ProcessHandle::pid).findFirst().orElse(-1) : process.pid();
      toolPid = pid;
    }
    return pid;
  }

  /** Records why the run ends (the first reason wins) and returns only once ffmpeg is gone. */
  private void end(Ending why) {
    ending.compareAndSet(null, why);
    long pid = toolPid();
    if (pid > 0) {
      ProcStat.Sample s = ProcStat.read(pid);
      if (s != ProcStat.Sample.NONE) {
        lastSample = s;
      }
      peakRss = Math.max(peakRss, ProcStat.peakRss(pid));
    }
    ProcessTree.end(process, GRACE);
  }

  private void watch() {
    long deadline = options.timeout() == null ? Long.MAX_VALUE
        : startNanos + options.timeout().toNanos();
    try {
      while (process.isAlive()) {
        long pid = toolPid();
        ProcStat.Sample s = pid > 0 ? ProcStat.read(pid) : ProcStat.Sample.NONE;
        if (s != ProcStat.Sample.NONE) {
          lastSample = s;
          peakRss = Math.max(peakRss, s.rssBytes());
          if (options.memoryLimitBytes() > 0 && s.rssBytes() > options.memoryLimitBytes()) {
            end(Ending.MEMORY);
            return;
          }
        }
        if (System.nanoTime() >= deadline) {
          end(Ending.TIMEOUT);
          return;
        }
        long sleep = Math.min(SAMPLE_MILLIS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        Thread.sleep(sleep);
      }
    } catch (InterruptedException e) {
      // the run is over
    }
  }

  private void readProgress() {
    Map<String, String> block = new HashMap<>();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        block.put(key, value);
        if (key.equals("progress")) {
          emit(block, value.equals("end"));
          block.clear();
        }
      }
    } catch (IOException e) {
      // the process ended; nothing more to read
    }
  }

  private void emit(Map<String, String> block, boolean done) {
    double outTime = parseDouble(block.get("out_time_us")) / 1e6;
    if (outTime < 0) {
      outTime = 0;
    }
    double speed = parseDouble(block.getOrDefault("speed", "0").replace("x", ""));
    double total = options.expectedDurationSeconds();
    double fraction = total > 0 ? Math.min(1.0, outTime / total) : -1;
    if (done && total > 0) {
      fraction = 1.0;
    }
    Duration eta = null;
    if (total > 0 && speed > 0) {
      eta = Duration.ofMillis((long) (Math.max(0, total - outTime) / speed * 1000));
    }
    Progress p = new Progress(fraction, outTime, (long) parseDouble(block.get("frame")),
        parseDouble(block.get("fps")), speed, eta, done);
    try {
      options.listener().onProgress(p);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(RunHandle.class).warn("progress listener failed", e);
    }
  }

  private void readStderr() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (usage.accept(line)) {
          continue;
        }
        Matcher t = BENCH_TIMES.matcher(line);
        Matcher m = BENCH_RSS.matcher(line);
        if (t.find()) {
          benchUser = Double.parseDouble(t.group(1));
          benchSystem = Double.parseDouble(t.group(2));
        } else if (m.find()) {
          benchRss = Long.parseLong(m.group(1)) * 1024;
        } else {
          tail.add(scrub.apply(line));
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private static double parseDouble(String s) {
    if (s == null) {
      return 0;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String human(Duration d) {
    return d == null ? "?" : d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
