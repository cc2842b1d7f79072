package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The container images, the compose file and the Kubernetes manifests under {@code deploy/} cannot
 * be built or run here (no Docker, no cluster, no GPU), so this checks what can be checked without
 * them: the files parse, every {@code spool} command line they run is one the CLI accepts, every
 * {@code SPOOL_*} variable they name is one Spool reads, and the images install only Debian
 * packages that were looked up (in a list kept with this test: no network at test time).
 */
class DeployFilesTest {
  private static final Path ROOT = repositoryRoot();
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SPOOL_VARIABLE = Pattern.compile("\\bSPOOL_[A-Z0-9_]+\\b");

  @Test
  void everyYamlFileUnderDeployParses() throws IOException {
    List<Path> files = yamlFiles();
    assertThat(files.stream().map(f -> DEPLOY.relativize(f).toString()))
        .contains("compose.yaml", "k8s/coordinator.yaml", "k8s/workers.yaml", "k8s/serve.yaml", "k8s/autoscaling.yaml");
    for (Path f : files) {
      List<JsonNode> docs = documents(f);
      assertThat(docs).as(f.toString()).isNotEmpty().allMatch(JsonNode::isObject);
      if (f.startsWith(DEPLOY.resolve("k8s"))) {
        for (JsonNode d : docs) {
          assertThat(d.path("apiVersion").asText()).as(f + ": apiVersion").isNotBlank();
          assertThat(d.path("kind").asText()).as(f + ": kind").isNotBlank();
          assertThat(d.at("/metadata/name").asText()).as(f + ": metadata.name").isNotBlank();
        }
      }
    }
    assertThat(documents(DEPLOY.resolve("compose.yaml")).get(0).path("services").size()).isPositive();
  }

  @Test
  void everySpoolCommandLineInTheDeployFilesIsOneTheCliAccepts() throws IOException {
    Map<String, List<String>> lines = spoolCommandLines();
    lines.forEach(DeployFilesTest::checkCommandLine);
    Set<String> roles = new TreeSet<>();
    lines.values().forEach(args -> roles.add(args.get(0)));
    assertThat(roles).contains("coordinator", "worker", "serve");
  }

  @Test
  void everySpoolVariableInTheDeployFilesIsOneSpoolReads() throws IOException {
    Set<String> read = variablesSpoolReads();
    assertThat(read).contains("SPOOL_TEMPORAL", "SPOOL_DATABASE_URL", "SPOOL_HOME", "SPOOL_JAVA_OPTS");
    Set<String> named = new TreeSet<>();
    for (Path f : deployFiles()) {
      named.addAll(variablesNamedIn(f));
    }
    assertThat(named).contains("SPOOL_TEMPORAL", "SPOOL_DATABASE_URL");
    assertThat(named).as("SPOOL_* variables that no Spool code reads").isSubsetOf(read);
  }

  @Test
  void theImagesInstallOnlyLookedUpPackagesAndBuildEveryModule() throws IOException {
    Set<String> known = debianPackages();
    List<String> modules = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
    while (m.find()) {
      modules.add(m.group(1));
    }
    assertThat(modules).isNotEmpty();
    for (String name : List.of("Dockerfile.cpu", "Dockerfile.gpu")) {
      List<String> instructions = dockerInstructions(DEPLOY.resolve(name));
      List<String> packages = aptInstalls(instructions);
      assertThat(packages).as(name).contains("ffmpeg", "openjdk-17-jre-headless");
      assertThat(packages).as(name + ": packages not in debian-packages.txt").isSubsetOf(known);
      for (String module : modules) {
        assertThat(instructions).as(name + " copies module " + module).contains("COPY " + module + " " + module);
      }
      assertThat(instructions).as(name).contains("ENTRYPOINT [\"tini\", \"--\", \"spool\"]");
    }
    assertThat(dockerInstructions(DEPLOY.resolve("Dockerfile.cpu"))).anyMatch(i -> i.startsWith("FROM debian:12-slim"));
  }

  @Test
  void theGpuImageAndWorkersAskForTheGpuAndItsVideoEngine() throws IOException {
    List<String> gpu = dockerInstructions(DEPLOY.resolve("Dockerfile.gpu"));
    assertThat(gpu).anyMatch(i -> i.startsWith("FROM nvidia/cuda:") && i.contains("runtime"));
    assertThat(gpu).anyMatch(i -> i.startsWith("ENV ") && i.contains("NVIDIA_DRIVER_CAPABILITIES=compute,video,utility"));
    JsonNode worker = documents(DEPLOY.resolve("k8s/workers.yaml")).stream()
        .filter(d -> d.at("/metadata/name").asText().equals("spool-worker-gpu")).findFirst().orElseThrow();
    JsonNode container = worker.at("/spec/template/spec/containers/0");
    assertThat(container.at("/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
    assertThat(container.path("args").toString()).contains("\"--queues\",\"gpu\"");
  }

  @Test
  void theChecksCatchAnOptionTheCliLacksAndAVariableSpoolDoesNotRead() throws IOException {
    assertThatThrownBy(() -> checkCommandLine("test", List.of("worker", "--queue", "cpu")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("--queue");
    assertThatThrownBy(() -> checkCommandLine("test", List.of("scheduler")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("scheduler");
    Path f = Files.createTempFile("compose", ".yaml");
    try {
      Files.writeString(f, "environment:\n  SPOOL_TEMPORAL_URL: x\n");
      assertThat(variablesNamedIn(f)).containsExactly("SPOOL_TEMPORAL_URL").doesNotContainAnyElementsOf(variablesSpoolReads());
    } finally {
      Files.delete(f);
    }
  }

  /** Parses {@code args} as the spool command line would, failing with picocli's reason. */
  private static void checkCommandLine(String where, List<String> args) {
    try {
      CommandLine.ParseResult parsed = SpoolCommand.commandLine().parseArgs(args.toArray(String[]::new));
      assertThat(parsed.hasSubcommand()).as(where + ": " + args + " names no subcommand").isTrue();
    } catch (CommandLine.ParameterException e) {
      throw new AssertionError(where + ": spool " + String.join(" ", args) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The spool command lines the files run, by where they stand: the compose services and the
   * Kubernetes containers of a Spool image (whose entry point is the launcher, so their
   * command or args are spool's arguments), and the images' own CMD.
   */
  private static Map<String, List<String>> spoolCommandLines() throws IOException {
    Map<String, List<String>> lines = new HashMap<>();
    JsonNode services = documents(DEPLOY.resolve("compose.yaml")).get(0).path("services");
    services.properties().forEach(s -> {
      JsonNode svc = s.getValue();
      if (svc.path("image").asText().startsWith("spool:")) {
        assertThat(svc.has("entrypoint")).as("compose " + s.getKey() + " keeps the image's entry point").isFalse();
        assertThat(svc.path("command").isArray()).as("compose " + s.getKey() + ": command as a list").isTrue();
        lines.put("compose " + s.getKey(), strings(svc.path("command")));
      }
    });
    for (Path f : yamlFiles()) {
      if (!f.startsWith(DEPLOY.resolve("k8s"))) {
        continue;
      }
      for (JsonNode doc : documents(f)) {
        for (JsonNode c : containers(doc)) {
          if (c.path("image").asText().startsWith("spool:")) {
            String where = f.getFileName() + " " + doc.at("/metadata/name").asText() + "/" + c.path("name").asText();
            assertThat(c.has("command")).as(where + " keeps the image's entry point").isFalse();
            lines.put(where, strings(c.path("args")));
          }
        }
      }
    }
    for (String name : List.of("Dockerfile.cpu", "Dockerfile.gpu")) {
      for (String i : dockerInstructions(DEPLOY.resolve(name))) {
        if (i.startsWith("CMD ")) {
          lines.put(name + " CMD", strings(JSON.readTree(i.substring(4))));
        }
      }
    }
    assertThat(lines).isNotEmpty();
    return lines;
  }

  private static List<JsonNode> containers(JsonNode doc) {
    List<JsonNode> found = new ArrayList<>();
    for (String path : List.of("/spec/template/spec/containers", "/spec/template/spec/initContainers",
        "/spec/jobTemplate/spec/template/spec/containers")) {
      doc.at(path).forEach(found::add);
    }
    return found;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * The {@code SPOOL_*} names Spool reads: the string constants of its main sources (each is
   * read through {@code System.getenv}) and the names the launcher script uses.
   */
  private static Set<String> variablesSpoolReads() throws IOException {
    Set<String> read = new TreeSet<>();
    Pattern literal = Pattern.compile("\"(SPOOL_[A-Z0-9_]+)\"");
    List<Path> sources;
    try (Stream<Path> s = Files.walk(ROOT)) {
      sources = s.filter(p -> p.toString().endsWith(".java") && ROOT.relativize(p).toString().matches("spool-[a-z]+/src/main/.*"))
          .toList();
    }
    for (Path p : sources) {
      Matcher m = literal.matcher(Files.readString(p));
      while (m.find()) {
        read.add(m.group(1));
      }
    }
    Matcher m = Pattern.compile("\\$\\{?(SPOOL_[A-Z0-9_]+)").matcher(Files.readString(ROOT.resolve("spool")));
    while (m.find()) {
      read.add(m.group(1));
    }
    return read;
  }

  private static Set<String> variablesNamedIn(Path f) throws IOException {
    Set<String> named = new TreeSet<>();
    Matcher m = SPOOL_VARIABLE.matcher(Files.readString(f));
    while (m.find()) {
      named.add(m.group());
    }
    return named;
  }

  /** A Dockerfile's instructions, each on one line: continuation lines joined, comments left out. */
  private static List<String> dockerInstructions(Path dockerfile) throws IOException {
    // A Dockerfile has no maintained Java parser; its line syntax is this much.
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(dockerfile)) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      current.append(t);
      out.add(current.toString().replaceAll("\\s+", " ").strip());
      current.setLength(0);
    }
    return out;
  }

  /** The package names that {@code apt-get install} commands in these instructions name. */
  private static List<String> aptInstalls(List<String> instructions) {
    List<String> packages = new ArrayList<>();
    for (String i : instructions) {
      for (String command : i.split("&&|;|\\|\\|")) {
        String[] words = command.strip().split(" ");
        int at = List.of(words).indexOf("install");
        if (words.length > 0 && words[0].equals("apt-get") && at > 0) {
          for (int k = at + 1; k < words.length; k++) {
            if (!words[k].startsWith("-")) {
              packages.add(words[k]);
            }
          }
        }
      }
    }
    return packages;
  }

  private static Set<String> debianPackages() throws IOException {
    try (InputStream in = DeployFilesTest.class.getResourceAsStream("debian-packages.txt")) {
      assertThat(in).as("debian-packages.txt").isNotNull();
      Set<String> names = new TreeSet<>();
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l -> names.add(l.split("\\s+")[0]));
      return names;
    }
  }

  private static List<JsonNode> documents(Path yaml) throws IOException {
    try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml.toFile())) {
      return docs.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
    }
  }

  private static List<Path> yamlFiles() throws IOException {
    return deployFiles().stream().filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList();
  }

  private static List<Path> deployFiles() throws IOException {
    assertThat(DEPLOY).as("the deploy folder").isDirectory();
    try (Stream<Path> s = Files.walk(DEPLOY)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** The checkout's root: the tests run in the module's folder. */
  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isRegularFile(dir.resolve("spool")) && Files.isRegularFile(dir.resolve("pom.xml")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no Spool checkout above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
