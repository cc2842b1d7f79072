package io.spool.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A complete ffmpeg invocation as data. {@link #arguments()} is the single place where Spool
 * turns inputs, outputs and encodings into an argument list: never a shell string, and every
 * path goes through the {@code file:} protocol so that no file name can become an option.
 */
public final class FFmpegCommand {
  private final List<Input> inputs;
  private final List<Output> outputs;
  private final List<String> extraArguments;
  private final boolean copyTimestamps;
  private final FilterGraph filterGraph;

  private FFmpegCommand(Builder b) {
    if (b.inputs.isEmpty()) {
      throw new BadArgumentException("an ffmpeg command needs at least one input");
    }
    if (b.outputs.isEmpty()) {
      throw new BadArgumentException("an ffmpeg command needs at least one output");
    }
    this.inputs = List.copyOf(b.inputs);
    this.outputs = List.copyOf(b.outputs);
    this.extraArguments = List.copyOf(b.extraArguments);
    this.copyTimestamps = b.copyTimestamps;
    this.filterGraph = b.filterGraph;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public List<Input> inputs() {
    return inputs;
  }

  public List<Output> outputs() {
    return outputs;
  }

  public FilterGraph filterGraph() {
    return filterGraph;
  }

  /**
   * {@code line}, something ffmpeg wrote while running this command, with the URL of each remote
   * input replaced by the input's name ({@link RemoteFile#scrub}): such a URL is a credential.
   */
  public String scrub(String line) {
    String s = line;
    for (Input in : inputs) {
      if (in.remote() != null) {
        s = in.remote().scrub(s);
      }
    }
    return s;
  }

  /** Whether ffmpeg reads raw frames from its standard input. */
  public boolean readsStdin() {
    return inputs.stream().anyMatch(i -> i.stdin() != null);
  }

  /** Whether ffmpeg writes raw frames to its standard output, where it otherwise reports its progress. */
  public boolean writesStdout() {
    return outputs.stream().anyMatch(o -> o.stdout() != null);
  }

  /**
   * The arguments after the ffmpeg binary, with metering switched on, and progress reporting on
   * standard output unless frames go there.
   */
  public List<String> arguments() {
    List<String> a = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+info", "-benchmark"));
    if (!writesStdout()) {
      a.addAll(List.of("-progress", "pipe:1"));
    }
    a.add("-y");
    Integer threads = outputs.stream().map(Output::threads).filter(Objects::nonNull).findFirst().orElse(null);
    if (threads != null) {
      a.addAll(List.of("-filter_threads", String.valueOf(threads)));
    }
    if (copyTimestamps) {
      a.add("-copyts");
    }
    for (Input in : inputs) {
      if (in.seekSeconds() != null) {
        // Microseconds: a keyframe seek rounded below its keyframe would start at the one before.
        a.addAll(List.of("-ss", String.format(java.util.Locale.ROOT, "%.6f", in.seekSeconds())));
        if (in.keyframeSeek()) {
          a.add("-noaccurate_seek");
        }
      }
      if (in.durationSeconds() != null) {
        a.addAll(List.of("-t", seconds(in.durationSeconds())));
      }
      if (in.format() != null) {
        a.addAll(List.of("-f", in.format()));
        if (in.format().equals("concat")) {
          a.addAll(List.of("-safe", "0")); // the list is Spool's own, naming files by absolute file: URLs
        }
      }
      if (in.generator() != null) {
        a.addAll(List.of("-f", "lavfi", "-i", in.generator().render()));
      } else if (in.images() != null) {
        a.addAll(List.of("-f", "image2", "-start_number", "1", "-i", in.images().pattern()));
      } else if (in.stdin() != null) {
        RawVideo raw = in.stdin();
        a.addAll(List.of("-f", "rawvideo", "-pix_fmt", raw.pixelFormat(), "-s", raw.size(), "-framerate", raw.rate(),
            "-i", "pipe:0"));
      } else {
        if (threads != null) {
          a.addAll(List.of("-threads", String.valueOf(threads)));
        }
        if (in.gpuDecode()) {
          a.addAll(List.of("-hwaccel", "cuda", "-hwaccel_output_format", "cuda"));
        }
        if (in.remote() != null) {
          a.addAll(in.remote().readOptions());
          a.addAll(List.of("-i", in.remote().url().toString()));
        } else {
          a.addAll(List.of("-i", Arguments.fileUrl(in.path())));
        }
      }
    }
    if (!filterGraph.isEmpty()) {
      a.addAll(List.of("-filter_complex", filterGraph.render()));
    }
    for (Output out : outputs) {
      for (int index : out.streams()) {
        a.addAll(List.of("-map", "0:" + index));
      }
      for (Pad pad : out.maps()) {
        if (!pad.isLabel() && pad.input() >= inputs.size()) {
          throw new BadArgumentException("output maps input " + pad.input() + " of a command with " + inputs.size() + " inputs");
        }
        a.addAll(List.of("-map", pad.mapArgument()));
      }
      if (!out.videoFilters().isEmpty()) {
        a.addAll(List.of("-vf", out.videoFilters().render()));
      }
      if (!out.audioFilters().isEmpty()) {
        a.addAll(List.of("-af", out.audioFilters().render()));
      }
      VideoEncoding v = out.video();
      if (v == null) {
        a.add("-vn");
      } else {
        a.addAll(List.of("-c:v", v.codec()));
        if (out.keyframeAt() != null) {
          a.addAll(List.of("-force_key_frames", "expr:eq(n," + out.keyframeAt() + ")"));
        }
        if (v.preset() != null) {
          a.addAll(List.of("-preset", v.preset()));
        }
        if (v.crf() != null) {
          a.addAll(List.of("-crf", String.valueOf(v.crf())));
        }
        if (v.pixelFormat() != null) {
          a.addAll(List.of("-pix_fmt", v.pixelFormat()));
        }
        v.codecOptions().forEach((k, val) -> a.addAll(List.of("-" + k, val)));
        if (out.codecTag() != null) {
          a.addAll(List.of("-tag:v", out.codecTag()));
        }
        if (out.hls() != null) {
          a.addAll(List.of("-force_key_frames:v", "expr:gte(t,n_forced*" + out.hls().seconds() + ")"));
        }
      }
      AudioEncoding au = out.audio();
      if (au == null) {
        a.add("-an");
      } else {
        a.addAll(List.of("-c:a", au.codec()));
        if (au.bitrateKbps() != null) {
          a.addAll(List.of("-b:a", au.bitrateKbps() + "k"));
        }
        if (au.channels() != null) {
          a.addAll(List.of("-ac", String.valueOf(au.channels())));
        }
        if (au.sampleRate() != null) {
          a.addAll(List.of("-ar", String.valueOf(au.sampleRate())));
        }
      }
      if (out.subtitleCodec() == null) {
        a.add("-sn");
      } else {
        a.addAll(List.of("-c:s", out.subtitleCodec()));
      }
      a.addAll(List.of("-dn", "-max_muxing_queue_size", "4096"));
      if (out.threads() != null) {
        a.addAll(List.of("-threads", String.valueOf(out.threads())));
      }
      if (out.frames() != null) {
        a.addAll(List.of("-frames:v", String.valueOf(out.frames())));
      }
      if (out.fastStart()) {
        a.addAll(List.of("-movflags", "+faststart"));
      }
      if (out.images() != null) {
        a.addAll(List.of("-start_number", "1"));
      } else if ("image2".equals(out.format())) {
        a.addAll(List.of("-update", "1")); // one image: its name is a name, not a pattern
      }
      a.addAll(extraArguments);
      if (out.hls() != null) {
        a.addAll(List.of("-hls_time", out.hls().seconds(), "-hls_playlist_type", "vod", "-hls_list_size", "0",
            "-hls_flags", "independent_segments", "-hls_segment_type", "mpegts", "-hls_segment_filename",
            Arguments.fileUrl(out.path().resolveSibling(out.hls().segmentPattern()))));
      }
      if (out.format() != null) {
        a.addAll(List.of("-f", out.format()));
      }
      if (out.stdout() != null) {
        a.addAll(List.of("-r", out.stdout().rate(), "pipe:1"));
      } else if (out.images() != null) {
        a.add(out.images().pattern());
      } else {
        a.add(out.format() != null && out.format().equals("null") ? "-" : Arguments.fileUrl(out.path()));
      }
    }
    return List.copyOf(a);
  }

  private static String seconds(double s) {
    return String.format(java.util.Locale.ROOT, "%.3f", s);
  }

  public static final class Builder {
    private final List<Input> inputs = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();
    private final List<String> extraArguments = new ArrayList<>();
    private boolean copyTimestamps;
    private FilterGraph filterGraph = FilterGraph.EMPTY;

    private Builder() {}

    /**
     * Keeps the inputs' own timestamps instead of starting them at zero ({@code -copyts}), so that
     * a filter sees the same times whatever point of the file reading started at.
     */
    public Builder copyTimestamps(boolean copy) {
      this.copyTimestamps = copy;
      return this;
    }

    public Builder input(Input input) {
      inputs.add(Objects.requireNonNull(input, "input"));
      return this;
    }

    /** The command's filter graph ({@code -filter_complex}); outputs {@link Output.Builder#map map} its labels. */
    public Builder filterGraph(FilterGraph graph) {
      this.filterGraph = Objects.requireNonNull(graph, "graph");
      return this;
    }

    public Builder output(Output output) {
      outputs.add(Objects.requireNonNull(output, "output"));
      return this;
    }

    /**
     * The one audited escape hatch: raw output options placed before the output's format. Each
     * must be an option name ({@code -x}) or a value that does not start with '-'; paths are not
     * allowed here.
     */
    public Builder extraOutputArguments(List<String> args) {
      for (String arg : args) {
        if (arg.contains("/") || arg.startsWith("file:")) {
          throw new BadArgumentException("extra ffmpeg arguments must not contain paths: '" + arg + "'");
        }
        extraArguments.add(arg);
      }
      return this;
    }

    public FFmpegCommand build() {
      return new FFmpegCommand(this);
    }
  }
}
