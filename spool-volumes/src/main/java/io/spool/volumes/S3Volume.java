package io.spool.volumes;

import io.spool.media.BadArgumentException;
import io.spool.media.FileIdentity;
import io.spool.media.InputNotFoundException;
import io.spool.media.OutputExistsException;
import io.spool.media.SpoolException;
import io.spool.media.internal.AtomicOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A volume kept in an S3 bucket, under a key prefix ({@link S3Location}). Files are written in the
 * job's scratch folder and uploaded on commit; S3 shows an object only once its upload is complete,
 * so a reader never sees half a file and a failed or cancelled write leaves no object. Inputs are
 * downloaded into the job's scratch folder. Keys that no volume path can name ({@code a//b},
 * {@code ../x}, folder markers ending in '/') are left out of listings.
 */
public final class S3Volume implements Volume {
  private static final Logger LOG = LoggerFactory.getLogger(S3Volume.class);

  private final String name;
  private final S3Location location;
  private final S3Client s3;
  private final S3Transfers transfers;
  private final S3Failures failures;
  private final java.util.function.Supplier<S3Presigner> presigner;

  S3Volume(String name, S3Location location, S3Client s3, java.util.function.Supplier<S3Presigner> presigner) {
    this.name = name;
    this.presigner = presigner;
    this.location = location;
    this.s3 = s3;
    this.transfers = new S3Transfers(s3, location.bucket());
    this.failures = new S3Failures(name, location);
  }

  @Override
  public String name() {
    return name;
  }

  public S3Location location() {
    return location;
  }

  private static String file(String path) {
    String clean = VolumePath.normalize(path);
    if (clean.isEmpty()) {
      throw new BadArgumentException("a file path inside the volume is needed");
    }
    return clean;
  }

  @Override
  public boolean exists(String path) {
    return head(file(path), "look for").isPresent();
  }

  /** The object at a path, or none. */
  private Optional<HeadObjectResponse> head(String path, String doing) {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(location.bucket()).key(location.key(path))));
    } catch (SdkException e) {
      SpoolException f = translate(e, doing + " " + ref(path), path);
      if (f instanceof InputNotFoundException) {
        return Optional.empty();
      }
      throw f;
    }
  }

  @Override
  public List<VolumeEntry> list(String prefix) {
    String clean = VolumePath.normalize(prefix);
    List<VolumeEntry> entries = new ArrayList<>();
    try {
      for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(location.key(clean))).contents()) {
        String path = location.pathOf(o.key());
        if (path == null || !(clean.isEmpty() || path.equals(clean) || path.startsWith(clean + "/"))
            || o.key().endsWith("/")) {
          continue;
        }
        if (!nameable(path)) {
          LOG.warn("volume {} holds an object no volume path can name, left out: {}", name, o.key());
          continue;
        }
        entries.add(new VolumeEntry(path, o.size(), o.lastModified()));
      }
    } catch (SdkException e) {
      throw translate(e, "list volume " + name, clean);
    }
    entries.sort(Comparator.comparing(VolumeEntry::path));
    return entries;
  }

  private static boolean nameable(String path) {
    try {
      return VolumePath.normalize(path).equals(path);
    } catch (BadArgumentException e) {
      return false;
    }
  }

  @Override
  public void put(Path source, String path) {
    if (!Files.isRegularFile(source)) {
      throw new InputNotFoundException("not a regular file: " + source);
    }
    upload(source, file(path), false);
  }

  void upload(Path source, String path, boolean onlyIfAbsent) {
    try {
      transfers.upload(source, location.key(path), onlyIfAbsent);
    } catch (S3Exception e) {
      if (onlyIfAbsent && e.statusCode() == 412) {
        throw new OutputExistsException(ref(path));
      }
      if (onlyIfAbsent && e.statusCode() == 501) {
        // A service without conditional writes: the look made before the upload has to do.
        upload(source, path, false);
        return;
      }
      throw translate(e, "write " + ref(path), path);
    } catch (SdkException e) {
      throw translate(e, "write " + ref(path), path);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new SpoolException(io.spool.media.ErrorCode.IO_ERROR, "cannot write " + ref(path) + " from " + source
          + ": " + e.getMessage(), List.of(), e);
    }
  }

  @Override
  public void get(String path, Path target) {
    try (AtomicOutput out = AtomicOutput.beside(target)) {
      download(file(path), out.temporary());
      out.publish();
    }
  }

  private void download(String path, Path target) {
    HeadObjectResponse head = head(path, "read").orElseThrow(
        () -> new InputNotFoundException("not found in volume " + name + ": " + path + " (" + location.url(path) + ")"));
    try (OutputStream out = Files.newOutputStream(target)) {
      transfers.download(location.key(path), head, out);
    } catch (SdkException e) {
      throw translate(e, "read " + ref(path), path);
    } catch (IOException e) {
      throw failures.io("read " + ref(path) + " into " + target, e);
    }
  }

  /** {@inheritDoc} Each range is a GET of the version (ETag) found on opening. */
  @Override
  public Optional<Read> read(String path) {
    String clean = file(path);
    return head(clean, "read").map(head -> new Read() {
      @Override
      public long size() {
        return head.contentLength();
      }

      @Override
      public java.io.InputStream bytes(long offset, long length) {
        try {
          return transfers.range(location.key(clean), head.eTag(), offset, length);
        } catch (SdkException e) {
          throw translate(e, "read " + ref(clean), clean);
        }
      }

      @Override
      public void close() {
        // each range's stream is closed by its reader
      }
    });
  }

  /** {@inheritDoc} S3 says nothing when asked to delete what is not there, so the object is looked for first. */
  @Override
  public boolean remove(String path) {
    String clean = file(path);
    if (head(clean, "remove").isEmpty()) {
      return false;
    }
    try {
      s3.deleteObject(b -> b.bucket(location.bucket()).key(location.key(clean)));
      return true;
    } catch (SdkException e) {
      throw translate(e, "remove " + ref(clean), clean);
    }
  }

  /**
   * {@inheritDoc} The copy is {@code scratch/volume-inputs/VOLUME/PATH}, made once for each scratch
   * folder (a job attempt's): asking again hands out the same copy.
   */
  @Override
  public Path readable(String path, Path scratch) {
    String clean = file(path);
    if (scratch == null) {
      throw new BadArgumentException("volume " + name + " is kept in S3: reading " + clean + " needs a scratch folder");
    }
    Path copy = scratch.resolve("volume-inputs").resolve(name).resolve(clean.replace('/', java.io.File.separatorChar));
    try {
      Files.createDirectories(copy.getParent());
    } catch (IOException e) {
      throw failures.io("make room for " + ref(clean) + " in " + scratch, e);
    }
    if (!Files.isRegularFile(copy)) {
      get(clean, copy);
    }
    return copy;
  }

  /**
   * A URL that reads the file at {@code path} with a plain HTTP GET until {@code expiry} has passed,
   * signed with this host's credentials. It is a credential itself: never log or record it.
   *
   * @throws InputNotFoundException if there is no such file
   */
  public java.net.URI presignedGet(String path, java.time.Duration expiry) {
    String clean = file(path);
    head(clean, "read").orElseThrow(
        () -> new InputNotFoundException("not found in volume " + name + ": " + clean + " (" + location.url(clean) + ")"));
    try {
      return presigner.get().presignGetObject(b -> b.signatureDuration(expiry)
          .getObjectRequest(g -> g.bucket(location.bucket()).key(location.key(clean)))).url().toURI();
    } catch (java.net.URISyntaxException e) {
      throw new SpoolException(io.spool.media.ErrorCode.INTERNAL, "the SDK signed a malformed URL for " + ref(clean));
    } catch (SdkException e) {
      throw translate(e, "sign a URL for " + ref(clean), clean);
    }
  }

  /** {@inheritDoc} The content is written in {@code scratch} and uploaded on commit. */
  @Override
  public Write write(String path, Path scratch) {
    String clean = file(path);
    if (scratch == null) {
      throw new BadArgumentException("volume " + name + " is kept in S3: writing " + clean + " needs a scratch folder");
    }
    Path local;
    try {
      Path dir = Files.createDirectories(scratch.resolve("volume-outputs"));
      String fileName = clean.substring(clean.lastIndexOf('/') + 1);
      // The name ends as the path does, so that ffmpeg picks the container from the extension.
      local = Files.createTempDirectory(dir, name + "-").resolve(fileName);
    } catch (IOException e) {
      throw failures.io("make room for " + ref(clean) + " in " + scratch, e);
    }
    return new Upload(clean, local);
  }

  /**
   * {@inheritDoc} The folder is written in {@code scratch} and uploaded on commit, its playlists
   * last (see {@link S3FolderWrite}): S3 shows objects one at a time, so a reader that starts from
   * the top-level playlist finds everything it leads to.
   */
  @Override
  public Write writeFolder(String path, Path scratch) {
    String clean = file(path);
    if (scratch == null) {
      throw new BadArgumentException("volume " + name + " is kept in S3: writing " + clean + " needs a scratch folder");
    }
    try {
      Path dir = Files.createDirectories(scratch.resolve("volume-outputs"));
      Path local = Files.createDirectory(Files.createTempDirectory(dir, name + "-").resolve(clean.substring(clean.lastIndexOf('/') + 1)));
      return new S3FolderWrite(this, clean, local);
    } catch (IOException e) {
      throw failures.io("make room for " + ref(clean) + " in " + scratch, e);
    }
  }

  /** An output written locally, uploaded on commit; closing removes the local copy. */
  private final class Upload implements Write {
    private final String path;
    private final Path local;

    Upload(String path, Path local) {
      this.path = path;
      this.local = local;
    }

    @Override
    public Path file() {
      return local;
    }

    @Override
    public void commit() {
      upload(local, path, false);
    }

    @Override
    public void commitNew() {
      if (head(path, "look for").isPresent()) {
        throw new OutputExistsException(ref(path));
      }
      upload(local, path, true);
    }

    /** {@inheritDoc} The object is removed: {@link #commitNew} put it where nothing was. */
    @Override
    public boolean undoNew() {
      remove(path);
      return true;
    }

    @Override
    public void commitReplacing(FileIdentity expected) {
      Optional<FileIdentity> now = head(path, "look for").map(S3Volume::identity);
      if (now.isEmpty() || !now.get().equals(expected)) {
        throw OutputExistsException.changed(ref(path));
      }
      upload(local, path, false);
    }

    @Override
    public void close() {
      try {
        Files.deleteIfExists(local);
        Files.deleteIfExists(local.getParent());
      } catch (IOException e) {
        LOG.warn("could not remove the local copy {} of {}: {}", local, ref(path), e.toString());
      }
    }
  }

  /** What a file in S3 is, as far as telling it from another goes: its ETag, size and time. */
  static FileIdentity identity(HeadObjectResponse head) {
    return new FileIdentity(head.eTag(), head.contentLength(), head.lastModified());
  }

  private SpoolException translate(SdkException e, String what, String path) {
    SpoolException f = failures.translate(e, what, path, this::bucketExists);
    if (f.code() == io.spool.media.ErrorCode.IO_ERROR && !(e instanceof S3Exception) && cutByTheServer(e)) {
      // A server that refuses a request (wrong credentials, no bucket) may close the connection
      // before it has read the body, which the client sees as a broken pipe: a light request
      // tells a refusal, not to be retried, from a network fault.
      try {
        listOne();
      } catch (S3Exception refused) {
        return failures.translate(refused, what, path, this::bucketExists);
      } catch (SdkException other) {
        // the network indeed
      }
    }
    return f;
  }

  /** The lightest request that needs the bucket and these credentials: one key of the volume listed. */
  private void listOne() {
    s3.listObjectsV2(b -> b.bucket(location.bucket()).prefix(location.key("")).maxKeys(1));
  }

  /** Whether the connection was closed or reset by the other side, rather than never made or timed out. */
  private static boolean cutByTheServer(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketException && t.getMessage() != null
          && (t.getMessage().contains("Broken pipe") || t.getMessage().contains("Connection reset"))) {
        return true;
      }
    }
    return false;
  }

  private boolean bucketExists() {
    try {
      s3.headBucket(b -> b.bucket(location.bucket()));
      return true;
    } catch (S3Exception e) {
      return e.statusCode() != 404;
    } catch (SdkException e) {
      return true; // unknown: let the caller name the key
    }
  }

  /** Checks that the bucket is there and these credentials may list it. */
  void check() {
    try {
      listOne();
    } catch (SdkException e) {
      throw translate(e, "use " + location.url(), "");
    }
  }

  private String ref(String path) {
    return name + ":" + path;
  }
}
