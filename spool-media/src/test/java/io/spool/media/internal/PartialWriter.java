package io.spool.media.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A separate process writing an output: {@code TARGET}. It prepares the output, prints its
 * temporary file, and keeps writing until a line arrives on stdin (or it is killed).
 */
public final class PartialWriter {
  private PartialWriter() {}

  public static void main(String[] args) throws Exception {
    try (AtomicOutput out = AtomicOutput.beside(Path.of(args[0]))) {
      System.out.println(out.temporary());
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
  }
}
