package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.testing.MediaFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandTest {
  @Test
  void fileNamesNeverBecomeOptions() {
    Path input = Path.of("-i");
    Path output = Path.of("-y.mp4");
    List<String> args = FFmpegCommand.newBuilder().input(Input.of(input))
        .output(Output.newBuilder(output).format("mp4").build()).build().arguments();

    assertThat(args).contains("file:" + input.toAbsolutePath(), "file:" + output.toAbsolutePath());
    assertThat(args).filteredOn(a -> a.equals("-i")).hasSize(1);
    assertThat(args.get(args.indexOf("-i") + 1)).startsWith("file:/");
    assertThat(args.get(args.size() - 1)).startsWith("file:/");
  }

  @Test
  void valuesThatLookLikeOptionsAreRejected() {
    assertThatThrownBy(() -> VideoEncoding.newBuilder().codec("-f").build())
        .isInstanceOf(BadArgumentException.class).hasMessageContaining("video codec");
    assertThatThrownBy(() -> VideoEncoding.newBuilder().codec("libx264").preset("fast -y").build())
        .isInstanceOf(BadArgumentException.class);
    assertThatThrownBy(() -> VideoEncoding.newBuilder().codec("libx264").option("x", "-vf").build())
        .isInstanceOf(BadArgumentException.class);
    assertThatThrownBy(() -> FFmpegCommand.newBuilder().extraOutputArguments(List.of("/etc/passwd")))
        .isInstanceOf(BadArgumentException.class);
  }

  @Test
  void filterValuesAreEscaped() {
    Filter f = Filter.of("drawtext").with("text", "it's 10:30, [live]; ok");
    assertThat(f.render()).isEqualTo("drawtext=text=\\'it\\'\\\\\\'\\'s 10:30\\, \\[live\\]\\; ok\\'");
    assertThat(Filter.of("scale").with("w", 1280).with("h", -2).render()).isEqualTo("scale=w=1280:h=-2");
  }

  @Test
  void audioFiltersAndStreamsOfLaterInputsAreRendered() {
    Output out = Output.newBuilder(Path.of("/tmp/out.mkv")).stream(0).stream(1, 0).subtitleCodec("srt")
        .audio(AudioEncoding.of("aac", 128)).audioFilters(new FilterChain(List.of(Filter.of("apad").with("pad_dur", 2))))
        .build();
    List<String> args = FFmpegCommand.newBuilder().input(Input.of(Path.of("/tmp/in.wav")))
        .input(Input.of(Path.of("/tmp/subs.srt"))).output(out).build().arguments();

    String joined = String.join(" ", args);
    assertThat(joined).contains("-map 0:0 -map 1:0", "-af apad=pad_dur=2", "-c:s srt");
    assertThatThrownBy(() -> FFmpegCommand.newBuilder().input(Input.of(Path.of("/tmp/in.wav"))).output(out).build().arguments())
        .isInstanceOf(BadArgumentException.class).hasMessageContaining("input 1");
  }

  @Test
  void crfIsCheckedOnTheCodecsOwnScale() {
    assertThatThrownBy(() -> TranscodeOptions.newBuilder().crf(60).build())
        .isInstanceOf(BadArgumentException.class).hasMessageContaining("libx264").hasMessageContaining("51");
    assertThat(TranscodeOptions.newBuilder().videoCodec("libvpx-vp9").crf(60).build().videoEncoding().crf()).isEqualTo(60);
    assertThat(TranscodeOptions.newBuilder().videoCodec("h264_nvenc").crf(30).build().videoEncoding()
        .codecOptions()).containsEntry("cq", "30");
    assertThatThrownBy(() -> TranscodeOptions.newBuilder().videoCodec("mpeg4").build())
        .isInstanceOf(BadArgumentException.class).hasMessageContaining("unsupported video codec");
  }

  @Test
  void webPresetIsTheReferenceGuidesCommand() {
    FFmpegCommand cmd = Transcoder.plan(
        FFprobe.using(MediaFixtures.tools()).probe(MediaFixtures.media("h264_aac_stereo_360p_17s.mp4")),
        TranscodeOptions.newBuilder().build(), Path.of("/tmp/out.mp4"));
    String joined = String.join(" ", cmd.arguments());
    assertThat(joined).contains("-c:v libx264 -preset veryfast -crf 23", "-c:a aac -b:a 128k", "-movflags +faststart");
    assertThat(joined).doesNotContain("-vf");
  }

  @Test
  void scalingKeepsDisplayAspectEvenSizesAndNeverUpscales() {
    FFprobe probe = FFprobe.using(MediaFixtures.tools());
    MediaStream rotated = probe.probe(MediaFixtures.media("h264_aac_rot270_720p_5s.mp4")).primaryVideo().orElseThrow();
    VideoEncoding web = Preset.WEB.video();

    // Shown 720x1280 (portrait): height 640 gives 360x640.
    assertThat(Transcoder.videoFilters(rotated, TranscodeOptions.newBuilder().height(640).build(), web).render())
        .isEqualTo("scale=w=360:h=640,setsar=sar=1");
    // Never upscaled unless asked.
    assertThat(Transcoder.videoFilters(rotated, TranscodeOptions.newBuilder().height(4000).build(), web).isEmpty()).isTrue();
    assertThat(Transcoder.videoFilters(rotated, TranscodeOptions.newBuilder().height(1920).allowUpscale(true).build(), web)
        .render()).isEqualTo("scale=w=1080:h=1920,setsar=sar=1");

    MediaStream small = probe.probe(MediaFixtures.media("mpeg1_mp2_160x120_zelda_commercial.mpeg")).primaryVideo().orElseThrow();
    // 160x120 at 33 lines high: 44x33 becomes even 44x32.
    assertThat(Transcoder.videoFilters(small, TranscodeOptions.newBuilder().height(33).build(), web).render())
        .isEqualTo("scale=w=44:h=32,setsar=sar=1");

    MediaStream interlaced = probe.probe(MediaFixtures.media("interlaced_tff_mpeg2_ac3_480i.mkv")).primaryVideo().orElseThrow();
    assertThat(Transcoder.videoFilters(interlaced, TranscodeOptions.newBuilder().build(), web).render()).startsWith("bwdif=");

    MediaStream hdr = probe.probe(MediaFixtures.media("hevc10_hdr10_aac_1080p.mp4")).primaryVideo().orElseThrow();
    assertThat(Transcoder.videoFilters(hdr, TranscodeOptions.newBuilder().build(), web).render()).contains("tonemap=");
  }

  @Test
  void hevcIsTaggedForApplePlayersFromEitherEncoder() {
    MediaInfo in = FFprobe.using(MediaFixtures.tools()).probe(MediaFixtures.media("h264_aac_mono_1s.mp4"));
    for (String codec : new String[] {"libx265", "hevc_nvenc"}) {
      List<String> args = Transcoder.plan(in, TranscodeOptions.newBuilder().preset(Preset.HEVC).videoCodec(codec).build(),
          Path.of("/tmp/o.mp4")).arguments();
      assertThat(String.join(" ", args)).as(codec).contains("-c:v " + codec, "-tag:v hvc1");
    }
    List<String> h264 = Transcoder.plan(in, TranscodeOptions.newBuilder().preset(Preset.HEVC).videoCodec("libx264").build(),
        Path.of("/tmp/o.mp4")).arguments();
    assertThat(h264).doesNotContain("hvc1");
  }

  @Test
  void threadsFollowTheCpuAllowance() {
    FFmpegCommand cmd = Transcoder.plan(
        FFprobe.using(MediaFixtures.tools()).probe(MediaFixtures.media("h264_aac_mono_1s.mp4")),
        TranscodeOptions.newBuilder().threads(3).build(), Path.of("/tmp/o.mp4"));
    List<String> args = cmd.arguments();
    int input = args.indexOf("-i");
    assertThat(args.subList(0, input)).as("decoder threads").containsSequence("-threads", "3");
    assertThat(args.subList(input, args.size())).as("encoder threads").containsSequence("-threads", "3");
    assertThat(String.join(" ", args)).contains("-filter_threads 3");
  }

  @Test
  void rationalsParseEveryFfprobeSpelling() {
    assertThat(Rational.parse("30000/1001").toDouble()).isBetween(29.97, 29.98);
    assertThat(Rational.parse("16:9")).isEqualTo(Rational.of(16, 9));
    assertThat(Rational.parse("0/0").isKnown()).isFalse();
    assertThat(Rational.parse("25")).isEqualTo(Rational.of(25, 1));
    assertThat(Rational.parse("29.97")).isEqualTo(Rational.of(2997, 100));
    assertThat(Rational.of(50, 2).sameValue(Rational.of(25, 1))).isTrue();
    assertThatThrownBy(() -> Rational.parse("abc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void costMatchesTheReferenceGuidesWorkedExample() {
    // "CPU (4 cores, 10 seconds): ~$0.001"
    PriceTable.Cost cost = PriceTable.REFERENCE.price(4 * 10, 0);
    assertThat(cost.cpu()).isEqualTo(0.00096, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(cost.total()).isBetween(0.0009, 0.0011);
    // 2 GiB held for 10 s adds 20 GiB-s at $0.0000025.
    assertThat(PriceTable.REFERENCE.price(new Metrics(10, 30, 10, 2L << 30)).memory())
        .isEqualTo(0.00005, org.assertj.core.api.Assertions.within(1e-12));
  }
}
