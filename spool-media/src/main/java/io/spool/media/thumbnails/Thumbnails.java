package io.spool.media.thumbnails;

import io.spool.media.ErrorCode;
import io.spool.media.FFmpegCommand;
import io.spool.media.FFmpegRunner;
import io.spool.media.FFprobe;
import io.spool.media.Filter;
import io.spool.media.FilterChain;
import io.spool.media.FilterGraph;
import io.spool.media.ImageSequence;
import io.spool.media.Input;
import io.spool.media.InvalidInputException;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.Output;
import io.spool.media.Pad;
import io.spool.media.Progress;
import io.spool.media.ProgressListener;
import io.spool.media.Rational;
import io.spool.media.RunOptions;
import io.spool.media.RunResult;
import io.spool.media.SpoolException;
import io.spool.media.TimeoutExceededException;
import io.spool.media.Toolchain;
import io.spool.media.UsageMeter;
import io.spool.media.VideoEncoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes thumbnails of a video at chosen times, a representative poster frame, optionally a sprite
 * sheet, and a WebVTT thumbnail track for players. The frame at a time is the first one shown at
 * or after it, found either by seeking to each time or by one pass over the video, whichever
 * decodes less ({@link ThumbnailOptions.Method}). The poster is the thumbnail ffmpeg's
 * {@code thumbnail} filter finds most typical of the set, taken again at full size.
 * {@code Thumbnails.using(tools).make(input, folder, options, listener)}.
 */
public final class Thumbnails {
  /** A seeking ffmpeg opens one decoder per time: this many at once keeps its memory bounded. */
  private static final int SEEKS_PER_PROCESS = 8;
  /**
   * Seeking decodes, per second of video, about half again as much CPU as one pass (several
   * decoders at once, each reading from the keyframe before its time; see bench/thumbnails).
   */
  private static final double SEEK_COST = 1.5;
  /** How much of the video's start is read for keyframes to judge the seeks by. */
  private static final double KEYFRAME_WINDOW_SECONDS = 60;
  private static final int SPRITE_COLUMNS = 10;
  private static final Pattern PICKED = Pattern.compile("frame id #(\\d+) .*selected from a set of");
  /**
   * Up to this many JPEG thumbnails, each time's frame is also kept at full size as it is decoded,
   * so the poster needs no decoding of its own (a seek decodes from the keyframe before it, which
   * costs more than encoding a few large JPEGs; many of them, or PNGs, would cost more instead).
   */
  private static final int POSTER_CANDIDATES = 60;
  private static final double EXTRACT_STAGE = 0.85;
  private static final double COMPOSE_STAGE = 0.9;

  private final Toolchain tools;

  private Thumbnails(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static Thumbnails using(Toolchain tools) {
    return new Thumbnails(tools);
  }

  /**
   * Makes the set in {@code folder} (created if needed): {@code thumb-0001.EXT} and on,
   * {@code poster.EXT}, {@code sprite.EXT} when asked, and {@code thumbnails.vtt}.
   *
   * @throws InvalidInputException if the input is not media, has no video, or a frame cannot be decoded
   * @throws io.spool.media.BadArgumentException if a time is past the end of the video
   */
  public ThumbnailSet make(Path input, Path folder, ThumbnailOptions options, ProgressListener listener) {
    long started = System.nanoTime();
    UsageMeter meter = tools.meter().child();
    Toolchain metered = tools.metered(meter);
    MediaInfo info = FFprobe.using(metered).describe(input);
    MediaStream v = info.primaryVideo().orElseThrow(() -> new InvalidInputException(
        input.getFileName() + " has no video track to take thumbnails from"));
    double duration = v.durationSeconds() > 0 ? v.durationSeconds() : info.durationSeconds();
    if (!(duration > 0)) {
      throw new InvalidInputException(input.getFileName() + " has no known duration to place thumbnails in");
    }
    Rational rate = v.effectiveFrameRate();
    double frameSeconds = rate.isKnown() && rate.toDouble() > 0 ? 1 / rate.toDouble() : 1 / 30.0;
    ThumbnailPlan plan = ThumbnailPlan.of(options, duration, frameSeconds, input.getFileName().toString());
    int dw = v.displayWidth() > 0 ? v.displayWidth() : v.width();
    int dh = v.displayHeight() > 0 ? v.displayHeight() : v.height();
    int width = even(options.width());
    int height = even((double) options.width() * dh / dw);
    ThumbnailOptions.Method method = options.method() == ThumbnailOptions.Method.AUTO
        ? cheaper(metered, input, v, plan) : options.method();
    String ext = options.format();
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot make the folder " + folder + ": " + e);
    }
    ImageSequence thumbs = new ImageSequence(folder, "thumb-", 4, ext);
    Path candidatesFolder = folder.resolve(".poster-candidates");
    ImageSequence candidates = ext.equals("jpg") && plan.times().size() <= POSTER_CANDIDATES
        ? new ImageSequence(candidatesFolder, "full-", 4, ext) : null;
    Sizes sizes = new Sizes(scaled(width, height), scaled(even(dw), even(dh)));
    ProgressListener extracting = listener.within(0, EXTRACT_STAGE);
    try {
      if (candidates != null) {
        Files.createDirectories(candidatesFolder);
      }
      if (method == ThumbnailOptions.Method.SEEK) {
        seek(metered, input, v, plan.times(), thumbs, candidates, sizes, options, started, extracting);
      } else {
        scan(metered, input, v, plan.times(), thumbs, candidates, sizes, options, started, extracting);
      }
      return finish(metered, input, folder, plan, thumbs, candidates, sizes, v, method, width, height, duration, options,
          started, meter, listener);
    } catch (IOException e) {
      throw new SpoolException(ErrorCode.IO_ERROR, "cannot write thumbnails in " + folder + ": " + e);
    } finally {
      deleteQuietly(candidatesFolder);
    }
  }

  /** The scaling to a thumbnail, and to the full picture (upright, square pixels). */
  private record Sizes(FilterChain thumbnail, FilterChain full) {}

  private static FilterChain scaled(int w, int h) {
    return FilterChain.of(Filter.of("scale").with("w", w).with("h", h), Filter.of("setsar").with("sar", "1"));
  }

  /** Checks the thumbnails, picks the poster, makes the sprite and the track. */
  private ThumbnailSet finish(Toolchain metered, Path input, Path folder, ThumbnailPlan plan, ImageSequence thumbs,
      ImageSequence candidates, Sizes sizes, MediaStream v, ThumbnailOptions.Method method, int width, int height,
      double duration, ThumbnailOptions options, long started, UsageMeter meter, ProgressListener listener) throws IOException {
    String ext = options.format();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < plan.times().size(); i++) {
      Path f = thumbs.file(i + 1);
      if (!Files.isRegularFile(f) || size(f) == 0) {
        throw new InvalidInputException(String.format(Locale.ROOT, "no frame at %.3f s could be decoded from %s",
            plan.times().get(i), input.getFileName()));
      }
      files.add(f);
    }
    int n = files.size();
    int columns = options.sprite() ? Math.min(n, SPRITE_COLUMNS) : 0;
    int rows = options.sprite() ? (n + columns - 1) / columns : 0;
    Path sprite = options.sprite() ? folder.resolve("sprite." + ext) : null;
    int pick = compose(metered, thumbs, n, sprite, columns, rows, folder, ext, options, started,
        listener.within(EXTRACT_STAGE, COMPOSE_STAGE));
    Path poster = folder.resolve("poster." + ext);
    if (candidates != null && Files.isRegularFile(candidates.file(pick + 1))) {
      Files.move(candidates.file(pick + 1), poster, StandardCopyOption.REPLACE_EXISTING);
    } else {
      FFmpegRunner.using(metered).run(FFmpegCommand.newBuilder()
          .input(Input.of(input).from(plan.times().get(pick)))
          .output(image(poster, ext).map(Pad.stream(0, v.index())).frames(1).threads(options.threads())
              .videoFilters(sizes.full()).build())
          .build(), run(options, started, 0, listener.within(COMPOSE_STAGE, 1)));
    }
    if (!Files.isRegularFile(poster) || size(poster) == 0) {
      throw new InvalidInputException(String.format(Locale.ROOT, "no frame at %.3f s could be decoded from %s",
          plan.times().get(pick), input.getFileName()));
    }
    Path track = folder.resolve("thumbnails.vtt");
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      targets.add(sprite == null ? files.get(i).getFileName().toString() : String.format(Locale.ROOT, "%s#xywh=%d,%d,%d,%d",
          sprite.getFileName(), (i % columns) * width, (i / columns) * height, width, height));
    }
    Files.writeString(track, plan.webVtt(targets), StandardCharsets.UTF_8);
    listener.onProgress(new Progress(1, duration, n, 0, 0, Duration.ZERO, true));
    double wall = (System.nanoTime() - started) / 1e9;
    return new ThumbnailSet(files, plan.times(), poster, pick, sprite, columns, rows, track, method, width, height, duration,
        meter.total(wall));
  }

  /**
   * Whether seeking to each time decodes less than one pass up to the last: a seek decodes from
   * the keyframe before its time, on average half the keyframe interval, which is judged from the
   * keyframes of the video's start (a video with one keyframe there is taken to have them as far
   * apart as that start is long).
   */
  static ThumbnailOptions.Method cheaper(Toolchain tools, Path input, MediaStream v, ThumbnailPlan plan) {
    List<Double> keys = FFprobe.using(tools).keyframeTimes(input, v.index(), KEYFRAME_WINDOW_SECONDS);
    double interval = keys.size() < 2 ? KEYFRAME_WINDOW_SECONDS
        : (keys.get(keys.size() - 1) - keys.get(0)) / (keys.size() - 1);
    double seeking = SEEK_COST * plan.times().size() * interval / 2;
    double scanning = plan.times().get(plan.times().size() - 1);
    return seeking < scanning ? ThumbnailOptions.Method.SEEK : ThumbnailOptions.Method.SCAN;
  }

  /** One input per time, seeking there; a few times per ffmpeg process. */
  private static void seek(Toolchain tools, Path input, MediaStream v, List<Double> times, ImageSequence thumbs,
      ImageSequence candidates, Sizes sizes, ThumbnailOptions o, long started, ProgressListener listener) {
    for (int first = 0; first < times.size(); first += SEEKS_PER_PROCESS) {
      int end = Math.min(times.size(), first + SEEKS_PER_PROCESS);
      FFmpegCommand.Builder cmd = FFmpegCommand.newBuilder();
      for (int i = first; i < end; i++) {
        cmd.input(Input.of(input).from(times.get(i)));
        cmd.output(image(thumbs.file(i + 1), thumbs.extension()).map(Pad.stream(i - first, v.index())).frames(1)
            .videoFilters(sizes.thumbnail()).threads(o.threads()).build());
        if (candidates != null) {
          cmd.output(image(candidates.file(i + 1), candidates.extension()).map(Pad.stream(i - first, v.index())).frames(1)
              .videoFilters(sizes.full()).threads(o.threads()).build());
        }
      }
      FFmpegRunner.using(tools).run(cmd.build(), run(o, started, 0, ProgressListener.NONE));
      listener.onProgress(new Progress((double) end / times.size(), times.get(end - 1), end, 0, 0, null, false));
    }
  }

  /** One pass from the start to the last time: each time's branch keeps the first frame at or after it. */
  private static void scan(Toolchain tools, Path input, MediaStream v, List<Double> times, ImageSequence thumbs,
      ImageSequence candidates, Sizes sizes, ThumbnailOptions o, long started, ProgressListener listener) {
    List<Pad> branches = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      branches.add(Pad.label("s" + i));
    }
    FilterGraph graph = FilterGraph.EMPTY.then(List.of(Pad.stream(0, v.index())),
        FilterChain.of(Filter.of("split").with("outputs", times.size())), branches);
    FFmpegCommand.Builder cmd = FFmpegCommand.newBuilder().input(Input.of(input));
    for (int i = 0; i < times.size(); i++) {
      FilterChain pick = FilterChain.of(Filter.of("trim").with("start", String.format(Locale.ROOT, "%.6f", times.get(i))),
          Filter.of("trim").with("end_frame", 1));
      if (candidates == null) {
        graph = graph.then(branches.get(i), join(pick, sizes.thumbnail()), Pad.label("t" + i));
      } else {
        graph = graph.then(List.of(branches.get(i)), pick.then(Filter.of("split")), List.of(Pad.label("a" + i), Pad.label("b" + i)))
            .then(Pad.label("a" + i), sizes.thumbnail(), Pad.label("t" + i))
            .then(Pad.label("b" + i), sizes.full(), Pad.label("f" + i));
        cmd.output(image(candidates.file(i + 1), candidates.extension()).map(Pad.label("f" + i)).frames(1)
            .threads(o.threads()).build());
      }
      cmd.output(image(thumbs.file(i + 1), thumbs.extension()).map(Pad.label("t" + i)).frames(1).threads(o.threads())
          .build());
    }
    FFmpegRunner.using(tools).run(cmd.filterGraph(graph).build(),
        run(o, started, times.get(times.size() - 1) + 1e-3, listener));
  }

  /**
   * Reads the thumbnails back as one stream: tiles them into the sprite where asked, and lets the
   * {@code thumbnail} filter pick the most typical; returns its index.
   */
  private static int compose(Toolchain tools, ImageSequence thumbs, int n, Path sprite, int columns, int rows, Path folder,
      String ext, ThumbnailOptions o, long started, ProgressListener listener) {
    if (n == 1 && sprite == null) {
      return 0;
    }
    List<Pad> ends = sprite == null ? List.of(Pad.label("pick")) : List.of(Pad.label("pick"), Pad.label("tiles"));
    FilterGraph graph = FilterGraph.EMPTY.then(List.of(Pad.stream(0, 0)),
        FilterChain.of(Filter.of("split").with("outputs", ends.size())), ends.stream().map(p -> Pad.label("in_" + p.label())).toList())
        .then(Pad.label("in_pick"), FilterChain.of(Filter.of("thumbnail").with("n", Math.max(2, n))), Pad.label("picked"));
    FFmpegCommand.Builder cmd = FFmpegCommand.newBuilder().input(Input.of(thumbs));
    if (sprite != null) {
      graph = graph.then(Pad.label("in_tiles"), FilterChain.of(Filter.of("tile").with("layout", columns + "x" + rows)),
          Pad.label("sprite"));
      cmd.output(image(sprite, ext).map(Pad.label("sprite")).frames(1).threads(o.threads()).build());
    }
    cmd.output(Output.newBuilder(folder.resolve("none")).format("null").map(Pad.label("picked"))
        .video(VideoEncoding.newBuilder().codec("wrapped_avframe").build()).build());
    RunResult r = FFmpegRunner.using(tools).run(cmd.filterGraph(graph).build(), run(o, started, 0, listener));
    if (sprite != null && (!Files.isRegularFile(sprite) || size(sprite) == 0)) {
      throw new SpoolException(ErrorCode.FFMPEG_FAILED, "ffmpeg wrote no sprite sheet", r.stderrTail(), null);
    }
    for (String line : r.stderrTail()) {
      Matcher m = PICKED.matcher(line);
      if (m.find()) {
        return Math.min(n - 1, Integer.parseInt(m.group(1)));
      }
    }
    return n / 2; // the filter said nothing: the middle one stands for the set
  }

  private static FilterChain join(FilterChain a, FilterChain b) {
    FilterChain c = a;
    for (Filter f : b.filters()) {
      c = c.then(f);
    }
    return c;
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // left in a scratch folder, which is removed with its job
    }
  }

  /** A single image in the set's format. */
  private static Output.Builder image(Path file, String ext) {
    VideoEncoding encoding = ext.equals("png") ? VideoEncoding.newBuilder().codec("png").build()
        : VideoEncoding.newBuilder().codec("mjpeg").option("q:v", "2").build();
    return Output.newBuilder(file).format("image2").video(encoding);
  }

  /** How to run one step: the time left of the whole, and the step's expected media duration for progress. */
  private static RunOptions run(ThumbnailOptions o, long started, double expectedSeconds, ProgressListener listener) {
    Duration left = null;
    if (o.timeout() != null) {
      left = o.timeout().minusNanos(System.nanoTime() - started);
      if (left.isNegative() || left.isZero()) {
        throw new TimeoutExceededException("timed out after " + o.timeout().toSeconds() + " s making thumbnails");
      }
    }
    return new RunOptions(left, expectedSeconds, 0, listener);
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  private static int even(double value) {
    int v = (int) Math.round(value);
    return Math.max(2, v - (v % 2));
  }
}
