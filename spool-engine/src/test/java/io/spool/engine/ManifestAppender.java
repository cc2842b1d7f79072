package io.spool.engine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A separate process that appends to a results manifest: {@code FILE NAME COUNT}. It opens the
 * manifest, prints {@code ready}, waits for a line on stdin, then appends COUNT lines for inputs
 * {@code NAME/0}, {@code NAME/1}, ... and exits.
 */
public final class ManifestAppender {
  private ManifestAppender() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    String name = args[1];
    int count = Integer.parseInt(args[2]);
    // Long lines, so that writes that are not kept apart overlap visibly.
    String padding = "x".repeat(2000);
    try (ResultsManifest manifest = ResultsManifest.open(file)) {
      System.out.println("ready");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      for (int i = 0; i < count; i++) {
        manifest.append(new ResultsManifest.Line(name + "/" + i, name + "/" + i + ".mp4", "succeeded", null, null, 1,
            name + "-" + i, 1, 1, null, null, null, Map.of("padding", padding)));
      }
    }
  }
}
