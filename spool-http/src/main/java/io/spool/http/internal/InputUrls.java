package io.spool.http.internal;

import io.spool.engine.JobRecord;
import io.spool.http.HttpStatuses.Refusal;
import io.spool.http.UrlPolicy;
import io.spool.media.BadArgumentException;
import io.spool.media.InputNotFoundException;
import io.spool.media.TimeoutExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Job inputs given as http or https URLs, where the server allows them: the server downloads each
 * into its upload store before it answers (a finished upload, as {@code upload:ID} inputs are),
 * through {@link PolicedRequests} with the same address policy as webhooks, streamed to disk and
 * refused past the upload limit or the timeout. A download that fails leaves nothing; the
 * downloaded bytes are removed once the job has ended.
 */
final class InputUrls {
  private static final Pattern URL = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://.*", Pattern.DOTALL);
  private static final int BUFFER = 64 * 1024;

  private final UrlPolicy policy;
  private final ResumableUploads uploads;
  private final long maxBytes;
  private final Duration timeout;
  private final HttpClient client;

  /** @param policy the addresses allowed; null where the server takes no input URLs */
  InputUrls(UrlPolicy policy, ResumableUploads uploads, long maxBytes, Duration timeout) {
    this.policy = policy;
    this.uploads = uploads;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.client = policy == null ? null : PolicedRequests.client(timeout);
  }

  /** Whether a request's input is a URL (of any scheme) rather than a volume path. */
  static boolean isUrl(String input) {
    return input != null && URL.matcher(input).matches();
  }

  /** A downloaded input: the file a job reads and the name its outputs are named after. */
  record Fetched(String uploadId, Path file, String name) {}

  /** Downloads of one request: all are removed, records too, unless {@link #keep} is called before {@link #close}. */
  final class Scope implements AutoCloseable {
    private final List<String> ids = new ArrayList<>();
    private boolean kept;

    /** Downloads {@code url}, the request's field {@code field}. */
    Fetched fetch(String field, String url) {
      Fetched f = InputUrls.this.fetch(field, url);
      ids.add(f.uploadId());
      return f;
    }

    /** Refuses {@code url} where the server takes no input URLs or would not call it. */
    void check(String field, String url) {
      InputUrls.this.check(field, url);
    }

    void keep() {
      kept = true;
    }

    @Override
    public void close() {
      if (!kept) {
        ids.forEach(uploads::discard);
      }
    }
  }

  Scope scope() {
    return new Scope();
  }

  /** Removes the downloaded bytes of a job that has ended, if its input was a URL. */
  void ended(JobRecord job) {
    String id = uploads.idOf(job.input());
    try {
      if (id != null && uploads.find(id).info().metadata().containsKey(ResumableUploads.SOURCE_URL)) {
        uploads.dropData(id);
      }
    } catch (RuntimeException e) {
      // gone already (terminated, swept)
    }
  }

  private URI check(String field, String url) {
    if (policy == null) {
      throw new BadArgumentException(field + ": this server takes no input URLs; to allow them, set \"input_urls\": true"
          + " under \"serve\" in $SPOOL_HOME/config.json (addresses as serve.allow_addresses allows)");
    }
    return policy.check(url);
  }

  private Fetched fetch(String field, String url) {
    URI uri = check(field, url);
    String shown = withoutQuery(uri);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(ResumableUploads.SOURCE_URL, shown);
    String name = nameOf(uri);
    if (name != null) {
      metadata.put("filename", name);
    }
    try {
      ResumableUploads.State s = uploads.store(metadata, data -> download(field, uri, shown, data));
      return new Fetched(s.info().id(), uploads.finishedFile(s.info().id()), name != null ? name : "input-" + s.info().id());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.spool.media.CancelledException(field + ": interrupted while " + shown + " was read");
    }
  }

  private void download(String field, URI uri, String shown, Path data) throws IOException, InterruptedException {
    HttpResponse<InputStream> r;
    try {
      r = PolicedRequests.send(client, policy, uri, u -> HttpRequest.newBuilder(u).timeout(timeout)
          .header("User-Agent", "Spool-Inputs").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new TimeoutExceededException(field + ": " + shown + " gave no answer within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw new InputNotFoundException(field + ": " + shown + " could not be read: " + reason(e));
    }
    // Closing the body at the deadline ends a download that has stalled or runs too long.
    java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
    CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> {
      late.set(true);
      quietlyClose(r.body());
    }, CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
    try (InputStream in = r.body()) {
      if (r.statusCode() < 200 || r.statusCode() > 299) {
        throw new InputNotFoundException(field + ": " + shown + " answered " + r.statusCode());
      }
      long declared = r.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > maxBytes) {
        throw tooLarge(field, shown);
      }
      long total = 0;
      try (OutputStream out = Files.newOutputStream(data)) {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = read(in, buf, field, shown, total, late)) >= 0) {
          total += n;
          if (total > maxBytes) {
            throw tooLarge(field, shown);
          }
          out.write(buf, 0, n);
        }
      }
      if (late.get()) {
        throw notInTime(field, shown);
      }
      if (declared >= 0 && total != declared) {
        throw new InputNotFoundException(field + ": " + shown + " ended after " + total + " of " + declared + " bytes");
      }
    } finally {
      deadline.cancel(false);
    }
  }

  /** The next bytes of the body; a read that fails is the origin's fault, or the deadline's. */
  private int read(InputStream in, byte[] buf, String field, String shown, long total,
      java.util.concurrent.atomic.AtomicBoolean late) {
    try {
      return in.read(buf);
    } catch (IOException e) {
      if (late.get()) {
        throw notInTime(field, shown);
      }
      throw new InputNotFoundException(field + ": " + shown + " broke off after " + total + " bytes: " + reason(e));
    }
  }

  private TimeoutExceededException notInTime(String field, String shown) {
    return new TimeoutExceededException(field + ": " + shown + " was not read within " + timeout.toSeconds() + " s");
  }

  private Refused tooLarge(String field, String shown) {
    return new Refused(Refusal.TOO_LARGE, field + ": " + shown + " is larger than this server's upload limit of "
        + maxBytes + " bytes");
  }

  /** The URL as a job shows it: without its query and fragment, which may hold credentials. */
  static String withoutQuery(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** The last name of the URL's path, as a plain file name, or null. */
  private static String nameOf(URI uri) {
    String path = uri.getPath();
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      return null;
    }
    return Uploads.safeName(path.substring(path.lastIndexOf('/') + 1));
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void quietlyClose(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // closed to end the download
    }
  }
}
