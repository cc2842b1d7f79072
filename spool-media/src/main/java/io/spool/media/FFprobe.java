package io.spool.media;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.media.internal.CommandRunner;
import io.spool.media.internal.FailureClassifier;
import io.spool.media.internal.Json;
import io.spool.media.internal.ProbeParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what a media file contains. {@code FFprobe.using(toolchain).probe(path)}. */
public final class FFprobe {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** Formats that ffprobe accepts but that are not audio or video. */
  private static final Set<String> NOT_MEDIA = Set.of("tty", "ass", "srt", "webvtt", "ffmetadata");
  /** ffmpeg's AVPROBE_SCORE_EXTENSION: a container recognised less surely than this is a guess from content. */
  private static final int CONFIDENT_PROBE_SCORE = 50;
  private static final Pattern EXTENSION = Pattern.compile("\\.([a-z0-9]{1,10})$");
  /** Eight groups of four hex digits and the spaces between them, in a {@code -show_data} line. */
  private static final int HEX_COLUMNS = 39;

  private final Toolchain tools;

  private FFprobe(Toolchain tools) {
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  public static FFprobe using(Toolchain tools) {
    return new FFprobe(tools);
  }

  /**
   * Probes a local file.
   *
   * @throws InputNotFoundException if the file is missing or unreadable
   * @throws InvalidInputException if it is empty, a directory, not a regular file (a device, a
   *     named pipe), not media, or has no audio or video stream
   */
  public MediaInfo probe(Path file) {
    checkReadableFile(file);
    return probe(List.of(Arguments.fileUrl(file)), file, line -> line);
  }

  /**
   * Probes a file read over HTTP(S). Its URL appears in nothing this says or throws: the file is
   * called by its name, and its {@link MediaInfo#path()} is that name as a path.
   *
   * @throws InvalidInputException if it is not media, or has no audio or video stream
   * @throws SpoolException where the network or the server stopped the reading (see
   *     {@link FailureClassifier#networkFailure}): retryable for a 5xx or a lost connection
   */
  public MediaInfo probe(RemoteFile file) {
    List<String> target = new java.util.ArrayList<>(file.readOptions());
    target.add(file.url().toString());
    return probe(target, Path.of(file.name()), file::scrub);
  }

  /** What {@link #probe} says of an input that is a local file or a remote file, as it is. */
  public MediaInfo probe(Input input) {
    input.checkWholeFile();
    return input.remote() != null ? probe(input.remote()) : probe(input.path());
  }

  /**
   * Runs ffprobe on {@code target} (the arguments that name the file), describing it as
   * {@code file}; {@code scrub} is applied to whatever ffprobe wrote before it is shown.
   */
  private MediaInfo probe(List<String> target, Path file, java.util.function.UnaryOperator<String> scrub) {
    // The JSON is read as ffprobe writes it, so that the JSON reader gets ready (in a process that
    // has not used it yet, its first use) while ffprobe starts, on the thread that reads.
    List<String> command = new java.util.ArrayList<>(List.of(tools.ffprobe().toString(), "-loglevel", "level+error",
        "-hide_banner", "-print_format", "json", "-show_format", "-show_streams", "-show_chapters"));
    command.addAll(target);
    CommandRunner.Read<JsonNode> r = CommandRunner.run(command, TIMEOUT, tools.meter(), stdout -> Json.MAPPER.readTree(stdout));
    if (!r.ok()) {
      List<String> stderr = java.util.Arrays.stream(r.stderr().strip().split("\\R")).map(scrub).toList();
      var network = FailureClassifier.networkFailure(stderr, file, "ffprobe");
      if (network.isPresent()) {
        throw network.get();
      }
      throw new InvalidInputException(
          file.getFileName() + " is not readable media: " + FailureClassifier.reason(stderr), stderr, null);
    }
    MediaInfo info;
    int score;
    try {
      if (r.unreadable() != null) {
        throw r.unreadable();
      }
      JsonNode root = r.stdout();
      info = ProbeParser.parse(file, root);
      score = ProbeParser.probeScore(root);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidInputException(
          file.getFileName() + " could not be described by ffprobe: " + scrub.apply(String.valueOf(e.getMessage())),
          List.of(), e);
    }
    if (info.formatName() != null && NOT_MEDIA.contains(info.formatName())) {
      throw new InvalidInputException(
          file.getFileName() + " is not audio or video (ffprobe reads it as '" + info.formatName() + "')");
    }
    if (!info.hasVideo() && !info.hasAudio()) {
      throw new InvalidInputException(file.getFileName() + " contains no audio or video stream");
    }
    if (score < CONFIDENT_PROBE_SCORE) {
      checkNameAgrees(file, info.formatName(), score);
    }
    return info;
  }

  /** One packet of a stream: its presentation time in the stream's time base, and its flags. */
  public record Packet(long pts, boolean keyframe, boolean discarded) {
    /** A packet without a presentation time (some MPEG-TS frames carry none). */
    public static final long NO_PTS = Long.MIN_VALUE;
  }

  /**
   * The packets of one stream in file order, with the stream's time base and the container's start
   * time (where ffmpeg's timeline begins, in microseconds).
   */
  public record StreamPackets(Rational timeBase, long startMicros, List<Packet> packets) {
    public StreamPackets {
      packets = List.copyOf(packets);
    }
  }

  /**
   * Lists the packets of stream {@code streamIndex} without decoding them: where keyframes lie and
   * which packets an edit list discards.
   *
   * @throws InvalidInputException if the file cannot be read
   */
  public StreamPackets packets(Path file, int streamIndex) {
    checkReadableFile(file);
    CommandRunner.Read<JsonNode> r = CommandRunner.run(
        List.of(tools.ffprobe().toString(), "-loglevel", "level+error", "-hide_banner", "-select_streams",
            String.valueOf(streamIndex), "-show_entries", "packet=pts,flags:stream=time_base:format=start_time",
            "-print_format", "json", Arguments.fileUrl(file)),
        TIMEOUT.multipliedBy(10), tools.meter(), stdout -> Json.MAPPER.readTree(stdout));
    if (!r.ok() || r.unreadable() != null) {
      List<String> stderr = List.of(r.stderr().strip().split("\\R"));
      throw new InvalidInputException(
          file.getFileName() + " could not be read packet by packet: " + FailureClassifier.reason(stderr), stderr, null);
    }
    JsonNode root = r.stdout();
    Rational timeBase = Rational.parse(root.path("streams").path(0).path("time_base").asText(null));
    if (!timeBase.isKnown()) {
      throw new InvalidInputException(file.getFileName() + " has no stream " + streamIndex + " with a time base");
    }
    long start = new java.math.BigDecimal(root.path("format").path("start_time").asText("0"))
        .movePointRight(6).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    List<Packet> packets = new java.util.ArrayList<>();
    for (JsonNode p : root.path("packets")) {
      String flags = p.path("flags").asText("");
      packets.add(new Packet(p.hasNonNull("pts") ? p.get("pts").asLong() : Packet.NO_PTS, flags.indexOf('K') >= 0,
          flags.indexOf('D') >= 0));
    }
    return new StreamPackets(timeBase, start, packets);
  }

  /**
   * How many packets stream {@code streamIndex} holds, counted by reading the file without
   * decoding it: for a stream of whole frames, its frame count.
   */
  public long countPackets(Path file, int streamIndex) {
    checkReadableFile(file);
    CommandRunner.Result r = CommandRunner.run(
        List.of(tools.ffprobe().toString(), "-loglevel", "level+error", "-hide_banner", "-select_streams",
            String.valueOf(streamIndex), "-count_packets", "-show_entries", "stream=nb_read_packets",
            "-of", "default=noprint_wrappers=1:nokey=1", Arguments.fileUrl(file)),
        TIMEOUT, tools.meter());
    try {
      if (r.ok()) {
        return Long.parseLong(r.stdout().strip());
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException(file.getFileName() + " could not be read packet by packet: " + r.lastErrorLine());
  }

  /**
   * What {@link #probe} says of a file, read from its own headers where it is a plain MP4 that
   * Spool's reader describes exactly as ffprobe would (most of an ffprobe run is the loading of
   * ffmpeg's libraries), else by ffprobe; every bad file goes to ffprobe, which says what is wrong.
   */
  public MediaInfo describe(Path file) {
    checkReadableFile(file); // before opening it: opening a named pipe would wait for a writer
    return io.spool.media.internal.Mp4Check.readInput(file).orElseGet(() -> probe(file));
  }

  /**
   * The times of the keyframes of stream {@code streamIndex} within the first {@code seconds} of a
   * file, read from its packets (nothing is decoded), from its start: how far apart they are says
   * how much a seek has to decode.
   *
   * @throws InvalidInputException if the file cannot be read
   */
  public List<Double> keyframeTimes(Path file, int streamIndex, double seconds) {
    checkReadableFile(file);
    CommandRunner.Result r = CommandRunner.run(List.of(tools.ffprobe().toString(), "-v", "error",
        "-select_streams", String.valueOf(streamIndex), "-read_intervals", String.format(Locale.ROOT, "%%+%.3f", seconds),
        "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", Arguments.fileUrl(file)), TIMEOUT, tools.meter());
    if (!r.ok()) {
      throw new InvalidInputException(file.getFileName() + " is not readable media: " + r.lastErrorLine());
    }
    List<Double> times = new java.util.ArrayList<>();
    for (String line : r.stdout().split("\\R")) {
      String[] f = line.strip().split(",");
      if (f.length >= 2 && f[1].startsWith("K") && !f[0].equals("N/A")) {
        times.add(Double.parseDouble(f[0]));
      }
    }
    return times.stream().sorted().toList();
  }

  /**
   * The codec parameters of each stream of {@code file} as its decoder sees them, with the codec
   * configuration ffmpeg keeps (for H.264 its parameter sets, as Annex B NAL units in MPEG-TS or an
   * avcC record in MP4): what a playlist's codec names are made from. No check beyond readability.
   *
   * @throws InvalidInputException if ffprobe cannot read the file
   */
  public List<CodecParameters> codecParameters(Path file) {
    checkReadableFile(file);
    CommandRunner.Read<JsonNode> r = CommandRunner.run(
        List.of(tools.ffprobe().toString(), "-loglevel", "level+error", "-hide_banner", "-print_format", "json", "-show_data",
            "-show_entries", "stream=index,codec_type,codec_name,profile,width,height,extradata", Arguments.fileUrl(file)),
        TIMEOUT, tools.meter(), stdout -> Json.MAPPER.readTree(stdout));
    if (!r.ok() || r.unreadable() != null) {
      List<String> stderr = List.of(r.stderr().strip().split("\\R"));
      throw new InvalidInputException(
          file.getFileName() + " is not readable media: " + FailureClassifier.reason(stderr), stderr, null);
    }
    List<CodecParameters> streams = new java.util.ArrayList<>();
    for (JsonNode s : r.stdout().path("streams")) {
      JsonNode dump = s.path("extradata");
      streams.add(new CodecParameters(s.path("index").asInt(), StreamType.fromProbe(s.path("codec_type").asText(null)),
          s.path("codec_name").asText(null), s.path("profile").asText(null), s.path("width").asInt(),
          s.path("height").asInt(), dump.isTextual() ? hexDump(dump.asText()) : new byte[0]));
    }
    return List.copyOf(streams);
  }

  /** The bytes of ffprobe's {@code -show_data} dump: lines of an offset, eight groups of hex, then text. */
  static byte[] hexDump(String dump) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (String line : dump.split("\\R")) {
      int colon = line.indexOf(": ");
      if (colon < 0) {
        continue;
      }
      String hex = line.substring(colon + 2, Math.min(line.length(), colon + 2 + HEX_COLUMNS)).replace(" ", "");
      for (int i = 0; i + 1 < hex.length(); i += 2) {
        bytes.write(Integer.parseInt(hex, i, i + 2, 16));
      }
    }
    return bytes.toByteArray();
  }

  /**
   * A container ffmpeg only guessed at must not contradict the file's name: an MP3 with a damaged
   * start is read as noise by whatever raw format happens to fit (raw AMR, 70 s of it), which
   * would be transcoded as if it were the content. When the name's extension is itself a format
   * ffmpeg knows and the guess is another, the file is refused. An extension ffmpeg has no format
   * of its own for ({@code .mpg} for MPEG-PS) says nothing, and the guess stands.
   */
  private void checkNameAgrees(Path file, String detected, int score) {
    Matcher m = EXTENSION.matcher(file.getFileName().toString().toLowerCase(Locale.ROOT));
    if (detected == null || !m.find() || List.of(detected.split(",")).contains(m.group(1))) {
      return;
    }
    String named = m.group(1);
    CommandRunner.Result known = CommandRunner.run(
        List.of(tools.ffmpeg().toString(), "-hide_banner", "-h", "demuxer=" + named), TIMEOUT, tools.meter());
    if (known.ok() && known.stdout().startsWith("Demuxer " + named + " ")) {
      throw new InvalidInputException(String.format(Locale.ROOT,
          "%s does not read as %s: ffmpeg can only guess %s (probe score %d of 100); it is damaged or misnamed",
          file.getFileName(), named, detected, score));
    }
  }

  /**
   * The checks every operation makes before handing a path to ffmpeg. They read the file's
   * attributes only: a named pipe is never opened, as opening one waits for a writer.
   */
  static void checkReadableFile(Path file) {
    if (!Files.exists(file)) {
      throw new InputNotFoundException("input not found: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new InvalidInputException("input is a directory, not a media file: " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException("input is not a regular file (" + kindOf(file) + "): " + file);
    }
    if (!Files.isReadable(file)) {
      throw new InputNotFoundException("input is not readable (permissions): " + file);
    }
    try {
      if (Files.size(file) == 0) {
        throw new InvalidInputException("input is empty (0 bytes): " + file);
      }
    } catch (IOException e) {
      throw new InputNotFoundException("cannot read input " + file + ": " + e.getMessage());
    }
  }

  /** What a file that is neither a regular file nor a folder is, from the type bits of its mode. */
  private static String kindOf(Path file) {
    int mode;
    try {
      mode = (Integer) Files.getAttribute(file, "unix:mode");
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file";
    }
    return switch (mode & 0170000) {
      case 0010000 -> "a named pipe";
      case 0020000, 0060000 -> "a device";
      case 0140000 -> "a socket";
      default -> "a special file";
    };
  }
}
