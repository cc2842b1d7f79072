package io.spool.transcribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spool.media.testing.MediaFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptFormatTest {
  private static final String LONG = "ask not what your country can do for you ask what you can do for your country"
      + " and so my fellow citizens of the world ask not what America will do for you but what together we can do"
      + " for the freedom of man";

  @TempDir static Path dir;
  /** A real transcript: pocketsphinx on jfk.wav. */
  static Transcript jfk;

  @BeforeAll
  static void transcribeOnce() throws Exception {
    jfk = Transcriber.using(MediaFixtures.tools(), WhisperModels.in(dir, Map.of()))
        .transcribe(MediaFixtures.media("jfk.wav"), Files.createDirectories(dir.resolve("scratch")),
            TranscribeOptions.newBuilder().engine(SpeechEngine.POCKETSPHINX).build(), null)
        .transcript();
  }

  /** The cues ffprobe reads back from a subtitle file: {start, end} in seconds, in file order. */
  private static List<double[]> cuesReadByFfprobe(Path file) {
    String csv = MediaFixtures.run(List.of("ffprobe", "-v", "error", "-show_entries", "packet=pts_time,duration_time",
        "-of", "csv=p=0", file.toString()));
    List<double[]> cues = new ArrayList<>();
    for (String line : csv.strip().split("\\R")) {
      String[] f = line.split(",");
      double start = Double.parseDouble(f[0]);
      cues.add(new double[] {start, start + Double.parseDouble(f[1])});
    }
    return cues;
  }

  @Test
  void srtAndVttReadBackWithFfmpegWithCuesInOrderInsideTheMedia() {
    assertThat(jfk.segments()).isNotEmpty();
    for (TranscriptFormat f : List.of(TranscriptFormat.SRT, TranscriptFormat.VTT)) {
      Path file = dir.resolve("jfk." + f.extension());
      f.write(jfk, file);

      List<double[]> cues = cuesReadByFfprobe(file);
      assertThat(cues).as(f.name()).hasSize(jfk.segments().size());
      double last = 0;
      for (int i = 0; i < cues.size(); i++) {
        double[] c = cues.get(i);
        assertThat(c[0]).as(f + " cue " + (i + 1)).isGreaterThanOrEqualTo(last)
            .isCloseTo(jfk.segments().get(i).startSeconds(), within(0.001));
        assertThat(c[1]).as(f + " cue " + (i + 1)).isGreaterThanOrEqualTo(c[0]).isLessThanOrEqualTo(jfk.durationSeconds());
        last = c[1];
      }
      // ffmpeg converts it, as --embed does, without complaint.
      MediaFixtures.run(List.of("ffmpeg", "-v", "error", "-nostdin", "-y", "-i", file.toString(), "-c:s", "mov_text",
          dir.resolve("jfk-" + f.extension() + ".mp4").toString()));
    }
  }

  @Test
  void subtitleCuesAreNumberedAndKeepToTwoLinesOfFortyTwoCharacters() {
    Transcript t = new Transcript("en", 30, List.of(new Segment(1, 2.5, "Hello there."), new Segment(3, 23, LONG)));
    String srt = TranscriptFormat.SRT.render(t);

    String[] blocks = srt.strip().split("\n\n");
    assertThat(blocks.length).isGreaterThan(2); // the long segment became several cues
    double previousEnd = 0;
    for (int i = 0; i < blocks.length; i++) {
      String[] lines = blocks[i].split("\n");
      assertThat(lines[0]).isEqualTo(String.valueOf(i + 1));
      assertThat(lines[1]).matches("\\d\\d:\\d\\d:\\d\\d,\\d{3} --> \\d\\d:\\d\\d:\\d\\d,\\d{3}");
      assertThat(lines.length - 2).as("lines of cue " + (i + 1)).isBetween(1, TranscriptFormat.MAX_LINES);
      for (int l = 2; l < lines.length; l++) {
        assertThat(lines[l].length()).as(lines[l]).isLessThanOrEqualTo(TranscriptFormat.MAX_LINE_CHARS);
      }
      double start = seconds(lines[1].substring(0, 12));
      double end = seconds(lines[1].substring(17));
      assertThat(start).isGreaterThanOrEqualTo(previousEnd);
      assertThat(end).isGreaterThan(start);
      previousEnd = end;
    }
    assertThat(blocks[1]).startsWith("2\n00:00:03,000 --> ");
    assertThat(blocks[blocks.length - 1]).contains(" --> 00:00:23,000\n");
    assertThat(String.join(" ", srt.lines().filter(l -> !l.matches("\\d+|.* --> .*|")).toList()))
        .isEqualTo("Hello there. " + LONG);
  }

  @Test
  void vttStartsWithItsHeaderUsesDotsAndEscapesMarkup() {
    Transcript t = new Transcript("en", 4000, List.of(new Segment(3725.5, 3726.25, "a <b> & c")));
    String vtt = TranscriptFormat.VTT.render(t);

    assertThat(vtt).isEqualTo("WEBVTT\n\n01:02:05.500 --> 01:02:06.250\na &lt;b&gt; &amp; c\n\n");
  }

  @Test
  void jsonAndTextHoldTheWholeTranscript() throws Exception {
    JsonNode json = new ObjectMapper().readTree(TranscriptFormat.JSON.render(jfk));

    assertThat(json.get("language").asText()).isEqualTo("en");
    assertThat(json.get("durationSeconds").asDouble()).isEqualTo(11.0);
    assertThat(json.get("text").asText()).isEqualTo(jfk.text());
    assertThat(json.get("segments")).hasSize(jfk.segments().size());
    assertThat(json.at("/segments/0/startSeconds").asDouble()).isEqualTo(jfk.segments().get(0).startSeconds());
    assertThat(TranscriptFormat.TXT.render(jfk).lines().toList())
        .containsExactlyElementsOf(jfk.segments().stream().map(Segment::text).toList());
  }

  private static double seconds(String hhmmss) {
    String[] p = hhmmss.replace(',', '.').split(":");
    return Integer.parseInt(p[0]) * 3600 + Integer.parseInt(p[1]) * 60 + Double.parseDouble(p[2]);
  }
}
