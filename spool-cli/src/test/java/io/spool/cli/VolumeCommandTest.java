package io.spool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeCommandTest {
  /** A line of {@code volume ls}: size (right-aligned in 10), modified, path. */
  private static final Pattern LS_LINE = Pattern.compile("(.{10})  (\\S+)  (.*)");

  @TempDir static Path home;
  @TempDir Path dir;

  @BeforeAll
  static void isolateHome() {
    System.setProperty("spool.home", home.toString());
  }

  private static Path created(String volume) {
    Cli.Result r = Cli.run("volume", "create", volume);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return home.resolve("volumes").resolve(volume);
  }

  private static void usageErrorNaming(Cli.Result r, String ref) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines()).singleElement().asString()
        .contains(ref, "outside volume", "[BAD_ARGUMENT]");
  }

  private static Set<String> filesIn(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void pathsThroughALinkLeadingOutsideAreUsageErrorsThatTouchNothingThere() throws Exception {
    Path root = created("linked");
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path secret = Files.writeString(outside.resolve("secret.mp4"), "not the volume's");
    Files.createSymbolicLink(root.resolve("link"), outside);
    Files.createSymbolicLink(root.resolve("secret.mp4"), secret);
    Path local = Files.writeString(dir.resolve("x.mp4"), "new content");
    Path got = dir.resolve("got.mp4");

    usageErrorNaming(Cli.run("volume", "put", local.toString(), "linked:link/evil.mp4"), "linked:link/evil.mp4");
    usageErrorNaming(Cli.run("volume", "put", local.toString(), "linked:secret.mp4"), "linked:secret.mp4");
    usageErrorNaming(Cli.run("volume", "get", "linked:link/secret.mp4", got.toString()), "linked:link/secret.mp4");
    usageErrorNaming(Cli.run("volume", "get", "linked:secret.mp4", got.toString()), "linked:secret.mp4");
    usageErrorNaming(Cli.run("volume", "rm", "linked:link/secret.mp4"), "linked:link/secret.mp4");
    usageErrorNaming(Cli.run("volume", "ls", "linked:link", "--json"), "linked:link");

    assertThat(filesIn(outside)).containsExactly("secret.mp4");
    assertThat(secret).hasContent("not the volume's");
    assertThat(got).doesNotExist();
  }

  @Test
  void jobsCannotReadOrWriteThroughALinkLeadingOutside() throws Exception {
    Path root = created("jobs");
    Path outside = Files.createDirectories(dir.resolve("outside"));
    MediaFixtures.sample(outside, "clip.mp4", 320, 240, 1);
    Files.createSymbolicLink(root.resolve("link"), outside);
    assertThat(Cli.run("volume", "put", MediaFixtures.sample(dir, "in.mp4", 320, 240, 1).toString(), "jobs:raw/")
        .exitCode()).isZero();

    usageErrorNaming(Cli.run("transcode", "jobs:link/clip.mp4", "jobs:web/clip.mp4", "--quiet"), "jobs:link/clip.mp4");
    usageErrorNaming(Cli.run("transcode", "jobs:raw/in.mp4", "jobs:link/in.mp4", "--quiet"), "jobs:link/in.mp4");
    usageErrorNaming(Cli.run("batch", "transcode", "jobs:raw/", "--out", "jobs:link/", "--quiet"), "jobs:link/");

    assertThat(filesIn(outside)).containsExactly("clip.mp4");
    assertThat(root.resolve("web")).doesNotExist();
  }

  @Test
  void everyPathLsPrintsIsAcceptedByGetAndRm() throws Exception {
    Path root = created("names");
    List<String> stored = List.of("\\..\\x.mp4", "a\\b.mp4", "sub/with space.mp4", "odd:name.mp4", "mine.partial",
        "zz ends in a space ");
    for (String name : stored) {
      Files.createDirectories(root.resolve(name).getParent());
      Files.writeString(root.resolve(name), "content of " + name);
    }

    Cli.Result human = Cli.run("volume", "ls", "names");
    Cli.Result json = Cli.run("volume", "ls", "names", "--json");

    assertThat(human.exitCode()).as(human.err()).isZero();
    assertThat(json.exitCode()).as(json.err()).isZero();
    List<String> printed = new ArrayList<>();
    for (String line : human.out().split("\\R")) {
      Matcher m = LS_LINE.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      printed.add(m.group(3));
    }
    List<String> inJson = new ArrayList<>();
    for (JsonNode e : Json.MAPPER.readTree(json.out())) {
      inJson.add(e.get("path").asText());
    }
    assertThat(printed).containsExactlyInAnyOrderElementsOf(stored).isEqualTo(inJson);

    for (String path : printed) {
      Path got = dir.resolve("got.mp4");
      Cli.Result get = Cli.run("volume", "get", "names:" + path, got.toString());
      assertThat(get.exitCode()).as(get.err()).isZero();
      assertThat(got).hasContent("content of " + path);

      Cli.Result rm = Cli.run("volume", "rm", "names:" + path);
      assertThat(rm.exitCode()).as(rm.err()).isZero();
      assertThat(root.resolve(path)).doesNotExist();
    }
  }
}
