package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoCommandsTest {
  @TempDir static Path home;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  @Test
  void doctorReportsHostAndGpuVerdict() throws Exception {
    Cli.Result r = Cli.run("doctor", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.get("ok").asBoolean()).isTrue();
    assertThat(j.at("/host/cpuCores").asInt()).isPositive();
    assertThat(j.at("/host/memoryBytes").asLong()).isPositive();
    assertThat(j.at("/host/spoolHomeFreeBytes").asLong()).isPositive();
    assertThat(j.at("/capabilities/encoders").toString()).contains("libx264");
    assertThat(j.at("/capabilities/gpuEncoders").size()).isEqualTo(3);
    assertThat(j.at("/engineJob/ok").asBoolean()).as(j.at("/engineJob/error").asText()).isTrue();
    assertThat(j.at("/engineJob/millis").asLong()).isPositive();

    assertThat(j.at("/host/gpus").isArray()).isTrue();
    if (j.at("/host/gpus").isEmpty()) {
      assertThat(j.at("/host/gpuNote").asText()).isNotBlank();
    }

    Cli.Result human = Cli.run("doctor");
    assertThat(human.out()).contains("GPU encode", "libx264 yes", "cores", "a 1 s test job ran", "GPU ");
  }

  @Test
  void doctorListsTheWhisperModelsItFindsAndWhetherPocketsphinxIsReady() throws Exception {
    java.nio.file.Path models = java.nio.file.Files.createDirectories(home.resolve("models"));
    java.nio.file.Files.copy(MediaFixtures.testModel("for-tests-ggml-tiny.en.bin"), models.resolve("ggml-tiny.en.bin"));
    java.nio.file.Files.write(models.resolve("ggml-cut.bin"), new byte[] {'l', 'm', 'g', 'g', 1, 2});
    try {
      Cli.Result r = Cli.run("doctor", "--json");

      assertThat(r.exitCode()).as(r.err()).isZero(); // speech models are optional: no problem either way
      JsonNode speech = Json.MAPPER.readTree(r.out()).get("speech");
      assertThat(speech.get("modelsFolder").asText()).isEqualTo(models.toString());
      assertThat(speech.get("pocketsphinx").asBoolean()).as(speech.toString()).isTrue();
      JsonNode found = speech.get("whisperModels");
      if (System.getenv("SPOOL_WHISPER_MODEL") != null) {
        found = Json.MAPPER.valueToTree(java.util.stream.StreamSupport.stream(found.spliterator(), false).skip(1).toList());
      }
      assertThat(found).hasSize(2);
      assertThat(found.at("/0/file").asText()).endsWith("ggml-cut.bin");
      assertThat(found.at("/0/usable").asBoolean()).isFalse();
      assertThat(found.at("/0/problem").asText()).contains("cut short");
      assertThat(found.at("/1/file").asText()).endsWith("ggml-tiny.en.bin");
      assertThat(found.at("/1/usable").asBoolean()).isTrue();
      assertThat(found.at("/1/kind").asText()).contains("tiny", "English only", "no weights");

      Cli.Result human = Cli.run("doctor");
      assertThat(human.out()).contains("whisper    " + models.resolve("ggml-tiny.en.bin"), "UNUSABLE", "pocketsphinx ready");
    } finally {
      for (String f : new String[] {"ggml-tiny.en.bin", "ggml-cut.bin"}) {
        java.nio.file.Files.delete(models.resolve(f));
      }
    }
  }

  @Test
  void probePrintsTheTypedModelAsJson() throws Exception {
    Path file = MediaFixtures.media("h264_aac_rot270_720p_5s.mp4");
    Cli.Result r = Cli.run("probe", file.toString(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.get("path").asText()).isEqualTo(file.toString());
    assertThat(j.at("/streams/0/rotation").asInt()).isEqualTo(270);
    assertThat(j.at("/streams/0/displayWidth").asInt()).isEqualTo(720);
    assertThat(j.at("/streams/0/frameRate").asText()).isEqualTo("30000/1001");
    assertThat(j.at("/streams/1/channels").asInt()).isEqualTo(2);
  }

  @Test
  void probeOfSeveralFilesReportsEachAndExitsOneIfAnyFailed() throws Exception {
    Path good = MediaFixtures.media("bear.flac");
    Path bad = MediaFixtures.media("damaged_mp4_malformed_free_box.mp4");

    Cli.Result r = Cli.run("probe", good.toString(), bad.toString(), "--json");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
    JsonNode j = Json.MAPPER.readTree(r.out());
    assertThat(j.get(0).at("/streams/0/codec").asText()).isEqualTo("flac");
    assertThat(j.get(1).at("/error/code").asText()).isEqualTo("INVALID_INPUT");
    assertThat(r.errLines()).hasSize(1);
  }

  @Test
  void probeOfOneBadFileUsesItsExitCode() {
    Cli.Result r = Cli.run("probe", MediaFixtures.media("damaged_mp4_malformed_free_box.mp4").toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.errLines()).singleElement().asString().contains("moov atom not found");
  }

  @Test
  void demoMakesASampleAndTranscodesIt(@TempDir Path dir) throws Exception {
    Cli.Result r = Cli.run("demo", "--dir", dir.toString(), "--seconds", "2", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode lines = Json.MAPPER.readTree(r.out());
    assertThat(lines).hasSize(4);
    for (JsonNode l : lines) {
      assertThat(l.get("status").asText()).isEqualTo("succeeded");
      assertThat(l.get("mediaSeconds").asDouble()).isBetween(1.9, 2.1);
      assertThat(l.at("/cost/totalUsd").asDouble()).isPositive();
      assertThat(Path.of(l.get("output").asText())).exists().startsWith(dir.resolve("out"));
    }
    Cli.Result human = Cli.run("demo", "--dir", dir.toString(), "--seconds", "1");
    assertThat(human.out()).contains("STATUS", "succeeded", "total: 4 jobs: 4 succeeded", "cost $");
  }

  @Test
  void helpListsExitCodes() {
    Cli.Result r = Cli.run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("doctor", "probe", "transcode", "batch", "jobs", "volume", "cost", "demo",
        "Exit codes", "invalid input");
    Cli.Result sub = Cli.run("batch", "transcode", "--help");
    assertThat(sub.exitCode()).isZero();
    assertThat(sub.out()).contains("--resume", "--manifest", "--concurrency");
    assertThat(Cli.run("help", "jobs").out()).contains("cancel");
    assertThat(Cli.run("bogus").err()).contains("Unmatched argument");
  }

  @Test
  void aVersionRequestReadsNoSubcommand() {
    assertThat(SpoolCommand.commandLine(new String[] {"--version"}).getSubcommands()).isEmpty();
    assertThat(SpoolCommand.commandLine(new String[] {"-V"}).getSubcommands()).isEmpty();
    assertThat(SpoolCommand.commandLine(new String[] {"--version", "--help"}).getSubcommands()).isNotEmpty();

    Cli.Result r = Cli.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("spool ");
  }

  @Test
  void aCommandLineForOneRunHoldsJustTheSubcommandItNames() {
    picocli.CommandLine full = SpoolCommand.commandLine();
    assertThat(full.getSubcommands().keySet()).containsExactlyElementsOf(SpoolCommand.SUBCOMMANDS.keySet());
    full.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        assertThat(sub.getCommandSpec().name()).as("the command's own @Command name").isEqualTo(name);
        assertThat(SpoolCommand.commandLine(new String[] {name, "--help"}).getSubcommands().keySet()).containsExactly(name);
      }
    });
    assertThat(SpoolCommand.commandLine(new String[] {"--help"}).getSubcommands()).hasSameSizeAs(full.getSubcommands());
  }

  /** A command whose own code fails in a way Spool did not foresee, as a bug would. */
  @picocli.CommandLine.Command(name = "broken")
  static final class Broken extends SpoolSubcommand {
    @Override
    public Integer call() {
      throw new IllegalStateException("a bug");
    }
  }

  @Test
  void anUnforeseenFailureIsAnInternalErrorNotAnFfmpegFailure() throws Exception {
    picocli.CommandLine cl = SpoolCommand.commandLine(new String[] {"broken"});
    cl.addSubcommand("broken", new Broken());
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));

    int code = cl.execute("broken", "--json");

    assertThat(code).isEqualTo(ExitCodes.FAILED);
    assertThat(err.toString()).isEqualTo("spool: internal error: java.lang.IllegalStateException: a bug [INTERNAL]\n");
    JsonNode error = Json.MAPPER.readTree(out.toString()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("INTERNAL");
    assertThat(error.get("retryable").asBoolean()).isFalse();
  }
}
