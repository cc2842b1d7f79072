package io.spool.volumes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A local file opened for reading ({@link Volume.Read}): the channel stays open, so a file renamed
 * over it meanwhile (a commit) does not change what is read. Ranges are read by position, so that
 * several can be read one after another and closing one leaves the file open.
 */
final class FileRange implements Volume.Read {
  private final FileChannel ch;
  private final String what;

  private FileRange(FileChannel ch, String what) {
    this.ch = ch;
    this.what = what;
  }

  /** {@code file} opened, or empty where there is no such file. */
  static Optional<Volume.Read> open(Path file, String what) {
    try {
      return Optional.of(new FileRange(FileChannel.open(file, StandardOpenOption.READ), what));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw LocalVolume.io("read " + what, e);
    }
  }

  @Override
  public long size() {
    try {
      return ch.size();
    } catch (IOException e) {
      throw LocalVolume.io("read " + what, e);
    }
  }

  @Override
  public InputStream bytes(long offset, long length) {
    return new InputStream() {
      private long position = offset;
      private final long end = offset + length;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (position >= end) {
          return -1;
        }
        int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
        if (n > 0) {
          position += n;
        }
        return n;
      }
    };
  }

  @Override
  public void close() {
    try {
      ch.close();
    } catch (IOException e) {
      throw LocalVolume.io("close " + what, e);
    }
  }
}
