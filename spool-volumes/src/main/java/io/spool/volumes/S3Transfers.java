package io.spool.volumes;

import io.spool.media.CancelledException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Moves whole files between this host and S3 without holding them in memory. A large upload goes
 * in parts (a multipart upload): the object appears under its key only when the last part is in
 * and the upload is completed; one that fails or is cancelled is aborted, so the service drops its
 * parts. A large download comes in ranges of one version of the object (its ETag): an object
 * replaced meanwhile fails the download rather than mixing two versions.
 */
final class S3Transfers {
  private static final Logger LOG = LoggerFactory.getLogger(S3Transfers.class);
  /** S3 takes parts of 5 MiB and more, at most 10,000 of them. */
  static final long PART_BYTES = 8L << 20;
  static final long MULTIPART_FROM_BYTES = 16L << 20;
  private static final int MAX_PARTS = 10_000;

  private final S3Client s3;
  private final String bucket;

  S3Transfers(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /**
   * Uploads {@code file} to {@code key}; with {@code onlyIfAbsent}, asks the service to refuse it
   * if an object is there by then.
   */
  void upload(Path file, String key, boolean onlyIfAbsent) throws IOException {
    long size = Files.size(file);
    if (size < MULTIPART_FROM_BYTES) {
      s3.putObject(b -> {
        b.bucket(bucket).key(key).contentLength(size);
        if (onlyIfAbsent) {
          b.ifNoneMatch("*");
        }
      }, RequestBody.fromFile(file));
      return;
    }
    long partBytes = Math.max(PART_BYTES, (size + MAX_PARTS - 1) / MAX_PARTS);
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < size; offset += partBytes, number++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancelledException("cancelled while uploading s3://" + bucket + "/" + key);
        }
        long length = Math.min(partBytes, size - offset);
        int n = number;
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(n).contentLength(length),
            RequestBody.fromContentProvider(range(file, offset, length), length, "application/octet-stream")).eTag();
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      s3.completeMultipartUpload(b -> {
        b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build());
        if (onlyIfAbsent) {
          b.ifNoneMatch("*");
        }
      });
      completed = true;
    } finally {
      if (!completed) {
        abort(key, uploadId);
      }
    }
  }

  private void abort(String key, String uploadId) {
    boolean interrupted = Thread.interrupted(); // the SDK refuses to send anything from an interrupted thread
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      LOG.warn("could not abort the unfinished upload {} of s3://{}/{}; the bucket's lifecycle rules must remove it: {}",
          uploadId, bucket, key, e.getMessage());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Each attempt at a part reads it afresh, so the SDK can retry a part without buffering it. */
  private static ContentStreamProvider range(Path file, long offset, long length) {
    return () -> {
      try {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ).position(offset);
        return new BoundedStream(Channels.newInputStream(ch), length);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  /** Downloads the object at {@code key}, as {@code head} described it, into {@code target}. */
  void download(String key, HeadObjectResponse head, OutputStream target) throws IOException {
    long size = head.contentLength();
    String etag = head.eTag();
    if (size <= MULTIPART_FROM_BYTES) {
      try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(etag))) {
        in.transferTo(target);
      }
      return;
    }
    for (long offset = 0; offset < size; offset += PART_BYTES) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancelledException("cancelled while downloading s3://" + bucket + "/" + key);
      }
      String range = "bytes=" + offset + "-" + (Math.min(offset + PART_BYTES, size) - 1);
      try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(etag).range(range))) {
        in.transferTo(target);
      }
    }
  }

  /** {@code length} bytes of the object at {@code key} from {@code offset}, of the version {@code etag}. */
  InputStream range(String key, String etag, long offset, long length) {
    if (length <= 0) {
      return InputStream.nullInputStream();
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    ResponseInputStream<GetObjectResponse> body = s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(etag).range(range));
    // Closed before its end (a client that went away), the connection is dropped rather than read
    // to the end of the range, which closing the SDK's stream would otherwise do.
    return new java.io.FilterInputStream(body) {
      private long left = length;

      @Override
      public int read() throws IOException {
        int c = super.read();
        left = c < 0 ? 0 : left - 1;
        return c;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        left = n < 0 ? 0 : left - n;
        return n;
      }

      @Override
      public void close() throws IOException {
        if (left > 0) {
          body.abort();
        }
        super.close();
      }
    };
  }

  /** The first {@code remaining} bytes of a stream. */
  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedStream(InputStream in, long remaining) {
      this.in = in;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int c = in.read();
      if (c >= 0) {
        remaining--;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
