package io.spool.cli;

import io.spool.media.Chapter;
import io.spool.media.FFprobe;
import io.spool.media.MediaInfo;
import io.spool.media.MediaStream;
import io.spool.media.SpoolException;
import io.spool.media.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code spool probe FILE...}: what a media file contains. */
@Command(name = "probe", description = "Describe media files: container, streams, rotation, frame rate, chapters.")
final class ProbeCommand extends SpoolSubcommand {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Media files to describe.")
  List<Path> files;

  @Override
  public Integer call() {
    Toolchain tools = tools();
    if (files.size() == 1) {
      MediaInfo info = FFprobe.using(tools).probe(files.get(0));
      print(info, human(info));
      return ExitCodes.OK;
    }
    List<Object> results = new ArrayList<>();
    int failed = 0;
    for (Path f : files) {
      try {
        MediaInfo info = FFprobe.using(tools).probe(f);
        results.add(info);
        if (!common.json) {
          out().println(human(info));
          out().println();
        }
      } catch (SpoolException e) {
        failed++;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.toString());
        m.put("error", SpoolCommand.errorJson(e, e.code(), e.getMessage()));
        results.add(m);
        err().println("spool: " + e.getMessage() + " [" + e.code() + "]");
      }
    }
    if (common.json) {
      out().println(Json.write(results));
    }
    out().flush();
    err().flush();
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  static String human(MediaInfo m) {
    StringBuilder sb = new StringBuilder();
    sb.append(m.path()).append('\n');
    sb.append(String.format(Locale.ROOT, "  container  %s, %s, %s, %s%n", m.formatName(),
        Units.seconds(m.durationSeconds()), Units.bytes(m.sizeBytes()),
        m.bitRate() > 0 ? m.bitRate() / 1000 + " kb/s" : "bit rate unknown"));
    for (MediaStream s : m.streams()) {
      sb.append(String.format(Locale.ROOT, "  #%-2d %-9s %s", s.index(), s.type().name().toLowerCase(Locale.ROOT),
          s.codec() == null ? "?" : s.codec()));
      if (s.profile() != null) {
        sb.append(" (").append(s.profile()).append(')');
      }
      if (s.isVideo()) {
        sb.append(String.format(Locale.ROOT, " %dx%d", s.width(), s.height()));
        if (s.rotation() != 0 || s.displayWidth() != s.width()) {
          sb.append(String.format(Locale.ROOT, " shown %dx%d", s.displayWidth(), s.displayHeight()));
        }
        if (s.rotation() != 0) {
          sb.append(" rotated ").append(s.rotation()).append('°');
        }
        if (s.pixelFormat() != null) {
          sb.append(' ').append(s.pixelFormat());
        }
        sb.append(String.format(Locale.ROOT, " %.3f fps", s.effectiveFrameRate().toDouble()));
        if (s.variableFrameRate()) {
          sb.append(" (variable)");
        }
        if (s.interlaced()) {
          sb.append(" interlaced");
        }
        if (s.color().isHdr()) {
          sb.append(" HDR (").append(s.color().transfer()).append(')');
        }
      } else if (s.attachedPicture()) {
        sb.append(String.format(Locale.ROOT, " %dx%d cover art", s.width(), s.height()));
      } else if (s.isAudio()) {
        sb.append(String.format(Locale.ROOT, " %d Hz %s", s.sampleRate(),
            s.channelLayout() != null ? s.channelLayout() : s.channels() + " ch"));
      }
      if (s.language() != null && !s.language().equals("und")) {
        sb.append(" [").append(s.language()).append(']');
      }
      if (s.isDefault()) {
        sb.append(" default");
      }
      sb.append('\n');
    }
    for (Chapter c : m.chapters()) {
      sb.append(String.format(Locale.ROOT, "  chapter %s → %s  %s%n", Units.seconds(c.startSeconds()),
          Units.seconds(c.endSeconds()), c.title() == null ? "" : c.title()));
    }
    return sb.toString().stripTrailing();
  }
}
