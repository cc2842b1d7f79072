import io.spool.media.RemoteFile;
import io.spool.volumes.S3Location;
import io.spool.volumes.S3Server;
import io.spool.volumes.S3Volume;
import io.spool.volumes.VolumeStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How ffmpeg best reads an input kept in S3 (run by bench/s3-input): from a copy downloaded into
 * scratch first (S3Volume.readable), or straight from a presigned GET URL with Spool's options for
 * a remote input (RemoteFile.readOptions: reconnects on).
 * Each round runs, both ways and in alternating order, ffprobe then ffmpeg for one workload:
 * {@code remux} (copy the streams into a new MP4: reading is all the work) and {@code transcode}
 * (scale to 360p and encode). Args: INPUT ROUNDS. Prints seconds per round and presigned/scratch.
 */
public class S3InputBench {
  public static void main(String[] args) throws Exception {
    Path input = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Path work = Files.createTempDirectory("s3-input");
    try (S3Server s3 = S3Server.start(); VolumeStore store = VolumeStore.at(work.resolve("volumes"))) {
      s3.createBucket("bench");
      S3Server.useCredentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
      S3Volume v = (S3Volume) store.createS3("bench", new S3Location("bench", "in", s3.endpoint(), true, null));
      v.put(input, "big.mp4");
      System.out.printf("input %.0f MB in a local S3 server (s3proxy, in-memory)%n", Files.size(input) / 1e6);
      for (String workload : List.of("remux", "transcode")) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
          List<String> order = r % 2 == 1 ? List.of("scratch", "presigned") : List.of("presigned", "scratch");
          double scratch = 0;
          double presigned = 0;
          for (String mode : order) {
            Path scratchDir = Files.createDirectories(work.resolve("scratch-" + r + "-" + mode));
            long t0 = System.nanoTime();
            String in = mode.equals("scratch") ? v.readable("big.mp4", scratchDir).toString()
                : v.presignedGet("big.mp4", Duration.ofMinutes(10)).toString();
            // Spool's own options for a remote input: reconnects on, a stalled read counted as dropped.
            List<String> http = mode.equals("scratch") ? List.of() : new RemoteFile(URI.create(in), "big.mp4").readOptions();
            run(concat(List.of("ffprobe", "-v", "error", "-show_format", "-show_streams"), http, List.of(in)));
            Path out = scratchDir.resolve("out.mp4");
            List<String> what = workload.equals("remux") ? List.of("-map", "0", "-c", "copy", out.toString())
                : List.of("-vf", "scale=-2:360", "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", out.toString());
            run(concat(List.of("ffmpeg", "-v", "error", "-nostdin", "-y"), http, List.of("-i", in), what));
            double s = (System.nanoTime() - t0) / 1e9;
            if (mode.equals("scratch")) {
              scratch = s;
            } else {
              presigned = s;
            }
            delete(scratchDir);
          }
          ratios.add(presigned / scratch);
          System.out.printf("%-9s round %d  scratch %6.2f s  presigned %6.2f s  presigned/scratch %.3f%n", workload, r,
              scratch, presigned, presigned / scratch);
        }
        System.out.printf("%-9s presigned/scratch median %.3f%n", workload, median(ratios));
      }
    } finally {
      delete(work);
    }
  }

  @SafeVarargs
  static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) {
      all.addAll(p);
    }
    return all;
  }

  static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(cmd.get(0) + " failed with exit " + p.exitValue()); // no URL: it is a credential
    }
  }

  static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static void delete(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
