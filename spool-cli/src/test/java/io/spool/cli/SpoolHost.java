package io.spool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.spool.media.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Spool's roles as processes on this host, the way a user runs them: a {@code spool dev-server}
 * on a free port, {@code spool worker} processes and submitting commands pointed at it with
 * {@code SPOOL_TEMPORAL}, all sharing one Spool home. Every process it starts is killed by
 * {@link #close}. Each process's stdout and stderr are kept under {@code logs}.
 */
final class SpoolHost implements AutoCloseable {
  /** Quick to start and light on two cores: the processes run seconds, not hours. */
  private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m");
  private static final Duration START_LIMIT = Duration.ofSeconds(60);

  private final Path home;
  private final Path logs;
  private final int port;
  private final List<Proc> started = new CopyOnWriteArrayList<>();
  /** Environment variables every process gets (S3 credentials, say). */
  private final Map<String, String> env = new java.util.concurrent.ConcurrentHashMap<>();

  /** One process and where its output goes. */
  record Proc(String name, Process process, Path out, Path err) {
    long pid() {
      return process.pid();
    }

    String stdout() {
      return read(out);
    }

    String stderr() {
      return read(err);
    }

    /** The JSON it printed on stdout, once it is all there; null before. */
    JsonNode json() {
      String text = stdout();
      if (text.isBlank()) {
        return null;
      }
      try {
        return Json.MAPPER.readTree(text);
      } catch (IOException e) {
        return null; // not all of it yet
      }
    }

    /** Waits for it to end; fails naming it (and showing its stderr) when it does not within {@code limit}. */
    int exit(Duration limit) throws InterruptedException {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " did not end within " + limit.toSeconds() + " s; stderr:\n" + tail(stderr()));
      }
      return process.exitValue();
    }

    @Override
    public String toString() {
      return name + " (pid " + process.pid() + ")";
    }

    private static String read(Path file) {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A {@code spool worker} process and the id it printed. */
  record Worker(Proc proc, String id) {
    long pid() {
      return proc.pid();
    }
  }

  SpoolHost(Path home, Path logs) throws IOException {
    this.home = home;
    this.logs = Files.createDirectories(logs);
    this.port = freePort();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  Path home() {
    return home;
  }

  /** Gives every process started from now on the environment variable {@code name}. */
  SpoolHost env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Where the dev-server listens: what {@code SPOOL_TEMPORAL} says. */
  String target() {
    return "localhost:" + port;
  }

  /** Starts {@code spool dev-server} on this host's port and waits until it says it is serving. */
  Proc devServer(String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("dev-server", "--port", Integer.toString(port), "--json"));
    args.addAll(List.of(options));
    Proc p = start("dev-server", Map.of(), args);
    awaitJson(p);
    return p;
  }

  /** This host's port, for a Temporal service the test starts itself in place of a dev-server. */
  int port() {
    return port;
  }

  /**
   * Starts {@code spool coordinator} for the service on this host's port (which the test runs, as
   * a cluster would) and waits until it says it is serving.
   */
  Proc coordinator(String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("coordinator", "--json"));
    args.addAll(List.of(options));
    Proc p = start("coordinator", Map.of(ServiceOptions.ENV, target()), args);
    awaitJson(p);
    return p;
  }

  /** Starts {@code spool worker --cpu 1} for the dev-server and waits until it says it is serving. */
  Worker worker(String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("worker", "--cpu", "1", "--json"));
    args.addAll(List.of(options));
    Proc p = start("worker", Map.of(ServiceOptions.ENV, target()), args);
    return new Worker(p, awaitJson(p).at("/worker/id").asText());
  }

  /**
   * Starts {@code spool worker --cpu 1} in a Spool home of its own, {@code workerHome}, as on
   * another host that shares only the Temporal service (and whatever storage the jobs name).
   */
  Worker workerAt(Path workerHome, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("worker", "--cpu", "1", "--json"));
    args.addAll(List.of(options));
    Proc p = start("worker", workerHome, Map.of(ServiceOptions.ENV, target()), args);
    return new Worker(p, awaitJson(p).at("/worker/id").asText());
  }

  /** Starts several workers side by side (their JVMs start at the same time). */
  List<Worker> workers(int n) throws IOException {
    List<Proc> procs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      procs.add(start("worker", Map.of(ServiceOptions.ENV, target()), List.of("worker", "--cpu", "1", "--json")));
    }
    List<Worker> workers = new ArrayList<>();
    for (Proc p : procs) {
      workers.add(new Worker(p, awaitJson(p).at("/worker/id").asText()));
    }
    return workers;
  }

  /** Starts a spool command that uses the dev-server ({@code SPOOL_TEMPORAL} set). */
  Proc spool(String... args) throws IOException {
    return start(args[0], Map.of(ServiceOptions.ENV, target()), List.of(args));
  }

  /** Stops a process with SIGTERM, as a service manager does, and waits until it is gone; returns its exit status. */
  int terminate(Proc p, Duration limit) throws Exception {
    CliProcess.signal(p.process(), "TERM");
    return p.exit(limit);
  }

  /** Kills a process with SIGKILL and waits until it is gone. */
  void kill(Proc p) throws InterruptedException {
    p.process().destroyForcibly();
    if (!p.process().waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError(p + " outlived SIGKILL");
    }
  }

  private Proc start(String name, Map<String, String> env, List<String> args) throws IOException {
    return start(name, home, env, args);
  }

  private Proc start(String name, Path home, Map<String, String> env, List<String> args) throws IOException {
    Map<String, String> all = new java.util.HashMap<>(this.env);
    all.putAll(env);
    String tag = String.format("%02d-%s", started.size() + 1, name);
    Path out = logs.resolve(tag + ".out");
    Path err = logs.resolve(tag + ".err");
    Process process = CliProcess.start(home, all, out, err, JVM_OPTIONS, args.toArray(String[]::new));
    Proc p = new Proc(name, process, out, err);
    started.add(p);
    return p;
  }

  /** The JSON a service prints once it has started; fails with its stderr if it ends first. */
  private static JsonNode awaitJson(Proc p) {
    JsonNode json = Eventually.await(START_LIMIT, p + " to start and print its JSON", () -> {
      JsonNode j = p.json();
      return j != null ? j : p.process().isAlive() ? null : MissingNode.getInstance();
    }, java.util.Objects::nonNull);
    if (json.isMissingNode()) {
      throw new AssertionError(p + " ended with exit " + p.process().exitValue() + " before it started; stderr:\n"
          + tail(p.stderr()));
    }
    return json;
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
  }

  /** Copies the Spool home (the records) beside the logs, to read after a failed test. */
  void keepRecords() throws IOException {
    Path copy = logs.resolve("home");
    try (java.util.stream.Stream<Path> files = Files.walk(home)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(home.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else if (Files.isRegularFile(f)) {
          Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** Kills every process it started that is still running, and waits for each to be gone. */
  @Override
  public void close() {
    for (Proc p : started) {
      p.process().destroyForcibly();
    }
    for (Proc p : started) {
      try {
        p.process().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
