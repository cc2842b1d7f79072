package io.spool.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.testing.MediaFixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files ffprobe and ffmpeg read over HTTP from a real server on a socket, with a URL that is a credential. */
class RemoteFileTest {
  private static final String SECRET = "X-Amz-Signature=0123456789abcdef";
  private static final Pattern RANGE = Pattern.compile("bytes=([0-9]+)-");

  @TempDir Path dir;
  private ServerSocket server;
  /** Requests for /drops; the second (ffmpeg's, after ffprobe's) loses its connection a third of the way in. */
  private final AtomicInteger drops = new AtomicInteger();
  private final AtomicInteger ranged = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          serve(s);
        } catch (IOException e) {
          // closed, or the reader went away
        }
      }
    }, "test-http");
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  /**
   * Answers one request on its own connection, as HTTP/1.1 with byte ranges, as S3 does: files of
   * {@link #dir} by name; {@code /drops/NAME} closes the connection partway through one answer;
   * {@code /gone/NAME} does too, and then refuses every request, as S3 refuses an expired URL.
   */
  private void serve(Socket s) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
    String request = in.readLine();
    int from = 0;
    for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
      Matcher m = RANGE.matcher(h);
      if (h.toLowerCase(java.util.Locale.ROOT).startsWith("range:") && m.find()) {
        from = Integer.parseInt(m.group(1));
      }
    }
    String path = request.split(" ")[1].replaceFirst("\\?.*", "");
    Path file = dir.resolve(path.substring(path.lastIndexOf('/') + 1));
    OutputStream out = s.getOutputStream();
    if (path.startsWith("/busy/") || path.startsWith("/denied/")) {
      String status = path.startsWith("/busy/") ? "503 Service Unavailable" : "403 Forbidden";
      out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      return;
    }
    if (!Files.isRegularFile(file)) {
      out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      return;
    }
    byte[] all = Files.readAllBytes(file);
    int n = path.startsWith("/drops/") || path.startsWith("/gone/") ? drops.incrementAndGet() : 0;
    boolean drop = n == 2;
    if (path.startsWith("/gone/") && n > 2) {
      out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      return;
    }
    if (from > 0) {
      ranged.incrementAndGet();
    }
    String head = (from > 0 ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + from + "-" + (all.length - 1) + "/"
        + all.length + "\r\n" : "HTTP/1.1 200 OK\r\n") + "Accept-Ranges: bytes\r\nContent-Length: " + (all.length - from)
        + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(all, from, drop ? (all.length - from) / 3 : all.length - from);
    out.flush();
  }

  private RemoteFile remote(String path, String name) {
    return new RemoteFile(URI.create("http://127.0.0.1:" + server.getLocalPort() + path + "?" + SECRET), name);
  }

  @Test
  void aTranscodeReadsAFileOverHttpWhereItIs() throws Exception {
    MediaFixtures.sample(dir, "clip.mp4", 320, 240, 2);
    Path staged = Files.createDirectory(dir.resolve("out")).resolve("clip.mp4");

    TranscodeResult r = Transcoder.using(MediaFixtures.tools()).transcodeStaged(Input.of(remote("/media/clip.mp4",
        "media:raw/clip.mp4")), staged, TranscodeOptions.newBuilder().height(120).build(), ProgressListener.NONE);

    assertThat(r.width()).isEqualTo(160);
    assertThat(r.durationSeconds()).isGreaterThan(1.5);
    assertThat(String.valueOf(r.input())).isEqualTo("media:raw/clip.mp4");
    assertThat(MediaFixtures.independentStreams(staged)).extracting(s -> s.get("codec_type")).containsExactly("video", "audio");
  }

  @Test
  void aProbeThatTheServerRefusesSaysWhyAndIsRetriedOnlyWhereThatCanHelp() throws Exception {
    MediaFixtures.sample(dir, "clip.mp4", 320, 240, 1);
    FFprobe probe = FFprobe.using(MediaFixtures.tools());

    assertThatThrownBy(() -> probe.probe(remote("/busy/clip.mp4", "media:raw/clip.mp4")))
        .isInstanceOfSatisfying(SpoolException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("media:raw/clip.mp4").doesNotContain("127.0.0.1").doesNotContain(SECRET);
        });
    assertThatThrownBy(() -> probe.probe(remote("/denied/clip.mp4", "media:raw/clip.mp4")))
        .isInstanceOfSatisfying(SpoolException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.ENVIRONMENT);
          assertThat(e.getMessage()).contains("access denied").doesNotContain(SECRET);
        });
  }

  @Test
  void aConnectionDroppedMidwayIsOpenedAgainWhereTheReadingStopped() throws Exception {
    MediaFixtures.sample(dir, "clip.mp4", 320, 240, 3);
    Path staged = Files.createDirectory(dir.resolve("out")).resolve("clip.mp4");

    TranscodeResult r = Transcoder.using(MediaFixtures.tools()).transcodeStaged(Input.of(remote("/drops/clip.mp4",
        "media:raw/clip.mp4")), staged, TranscodeOptions.newBuilder().height(120).build(), ProgressListener.NONE);

    assertThat(drops.get()).isGreaterThan(2);
    assertThat(ranged.get()).isPositive();
    assertThat(r.durationSeconds()).isGreaterThan(2.5);
  }

  @Test
  void aReadThatTheServerCutsShortForGoodFailsAsRetryableNotAsABadInput() throws Exception {
    MediaFixtures.sample(dir, "clip.mp4", 320, 240, 3);
    Path staged = Files.createDirectory(dir.resolve("out")).resolve("clip.mp4");

    assertThatThrownBy(() -> Transcoder.using(MediaFixtures.tools()).transcodeStaged(Input.of(remote("/gone/clip.mp4",
        "media:raw/clip.mp4")), staged, TranscodeOptions.newBuilder().height(120).build(), ProgressListener.NONE))
        .isInstanceOfSatisfying(SpoolException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).contains("media:raw/clip.mp4").doesNotContain("X-Amz").doesNotContain("127.0.0.1");
        });
  }

  @Test
  void aCorruptFileFailsAsInvalidInputNamedByItsNameAndNothingShowsItsUrl() throws Exception {
    byte[] noise = new byte[64 * 1024];
    new java.util.Random(3).nextBytes(noise);
    Files.write(dir.resolve("bad.mp4"), noise);
    RemoteFile bad = remote("/media/bad.mp4", "media:raw/bad.mp4");

    assertThatThrownBy(() -> Transcoder.using(MediaFixtures.tools()).transcodeStaged(Input.of(bad), dir.resolve("x.mp4"),
        TranscodeOptions.newBuilder().build(), ProgressListener.NONE))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
          assertThat(e.getMessage()).startsWith("bad.mp4 is not readable media: ")
              .contains("Invalid data found when processing input").doesNotContainIgnoringCase("http")
              .doesNotContain("X-Amz").doesNotContain("127.0.0.1");
          assertThat(String.join("\n", e.evidence())).doesNotContain("X-Amz").doesNotContain("127.0.0.1");
        });
    assertThatThrownBy(() -> FFprobe.using(MediaFixtures.tools()).probe(remote("/media/none.mp4", "media:raw/none.mp4")))
        .isInstanceOf(InputNotFoundException.class).hasMessageNotContaining("X-Amz").hasMessageNotContaining("127.0.0.1");
  }

  @Test
  void whatFfmpegWritesIsScrubbedOfTheUrlAndTheArgumentsAskForReconnects() {
    RemoteFile f = new RemoteFile(URI.create("https://s3.example/b/k.mov?" + SECRET), "media:raw/k.mov");
    String u = f.url().toString();

    assertThat(f.scrub("[error] " + u + ": Invalid data found when processing input"))
        .isEqualTo("[error] Invalid data found when processing input");
    assertThat(f.scrub("Input #0, mov,mp4, from '" + u + "':")).isEqualTo("Input #0, mov,mp4, from 'media:raw/k.mov':");
    assertThat(f.scrub("redirected to https://other.example/k?X-Amz-Credential=abc now"))
        .isEqualTo("redirected to media:raw/k.mov now");
    assertThat(String.valueOf(f)).isEqualTo("media:raw/k.mov");
    assertThat(String.valueOf(Input.of(f))).doesNotContain("X-Amz");
    assertThatThrownBy(() -> new RemoteFile(URI.create("file:/etc/passwd"), "x")).isInstanceOf(IllegalArgumentException.class);

    List<String> args = FFmpegCommand.newBuilder().input(Input.of(f))
        .output(Output.newBuilder(Path.of("out.mp4")).format("mp4").build()).build().arguments();
    int i = args.indexOf(u);
    assertThat(args.get(i - 1)).isEqualTo("-i");
    assertThat(args.subList(0, i)).containsSequence("-reconnect", "1").containsSequence("-reconnect_streamed", "1");
    assertThat(RemoteFile.readableBy(MediaFixtures.tools())).isTrue(); // Debian's ffmpeg has TLS
  }
}
