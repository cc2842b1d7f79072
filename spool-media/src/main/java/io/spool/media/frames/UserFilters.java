package io.spool.media.frames;

import io.spool.media.BadArgumentException;
import io.spool.media.EnvironmentException;
import io.spool.media.Filter;
import io.spool.media.FilterChain;
import io.spool.media.Toolchain;
import io.spool.media.internal.CommandRunner;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The check a user's own filter chain passes before it runs ({@link FilterChain#parse} has made
 * sure it is one linear chain): every filter takes one video stream and gives one (so no source
 * such as {@code movie} can read a file, and nothing joins other streams), and none of them is
 * one that reads or writes files, talks to the network or loads code by its options.
 */
final class UserFilters {
  /** Lines such as " TSC scale  V->V  Scale the input..." from {@code ffmpeg -filters}. */
  private static final Pattern FILTER_LINE = Pattern.compile("^ [A-Z.]{3} (\\S+)\\s+(\\S+)->(\\S+)\\s");
  /** One-in, one-out video filters whose options name files, sockets or plugins. */
  private static final Set<String> REFUSED = Set.of("sendcmd", "zmq", "frei0r", "lut3d", "lut1d", "haldclut",
      "subtitles", "ass", "ocr", "dnn_processing", "dnn_classify", "dnn_detect", "sr", "derain", "dejudder_opencl",
      "program_opencl", "openclsrc", "coreimage", "lensfun", "vidstabdetect", "vidstabtransform", "vmafmotion", "drawtext");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private UserFilters() {}

  static void check(Toolchain tools, FilterChain chain) {
    Set<String> oneToOne = videoToVideo(tools);
    for (Filter f : chain.filters()) {
      if (REFUSED.contains(f.name())) {
        throw new BadArgumentException("filter " + f.name() + " is not allowed in --filter: its options reach files, the"
            + " network or plugins (use --text and --image to draw on frames)");
      }
      if (!oneToOne.contains(f.name())) {
        throw new BadArgumentException("filter " + f.name() + " cannot be used in --filter: it is not a filter of this"
            + " ffmpeg that takes one video stream and gives one");
      }
    }
  }

  private static Set<String> videoToVideo(Toolchain tools) {
    CommandRunner.Result r = CommandRunner.run(List.of(tools.ffmpeg().toString(), "-hide_banner", "-filters"), TIMEOUT,
        tools.meter());
    if (!r.ok()) {
      throw new EnvironmentException("ffmpeg -filters failed: " + r.lastErrorLine());
    }
    Set<String> names = new HashSet<>();
    for (String line : r.stdout().split("\\R")) {
      Matcher m = FILTER_LINE.matcher(line);
      if (m.find() && m.group(2).equals("V") && m.group(3).equals("V")) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
