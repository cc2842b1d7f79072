package io.spool.volumes;

import java.net.URI;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.Payload;

/**
 * A real S3-compatible server (s3proxy over an in-memory store) in this JVM, on a free port, that
 * checks AWS signatures against {@link #ACCESS_KEY}/{@link #SECRET_KEY}. It can be told to fail
 * parts of multipart uploads, to see what a client leaves behind when an upload breaks off.
 * {@code try (S3Server s3 = S3Server.start()) { s3.createBucket("media"); ... }}
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "spool-test";
  public static final String SECRET_KEY = "spool-test-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final FaultyStore store;

  private S3Server(S3Proxy proxy, BlobStoreContext context, FaultyStore store) {
    this.proxy = proxy;
    this.context = context;
    this.store = store;
  }

  public static S3Server start() throws Exception {
    Properties p = new Properties();
    BlobStoreContext context = ContextBuilder.newBuilder("transient").overrides(p).build(BlobStoreContext.class);
    FaultyStore store = new FaultyStore(context.getBlobStore());
    S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!proxy.getState().equals("STARTED")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.onSpinWait();
    }
    return new S3Server(proxy, context, store);
  }

  /** The address to give as {@code --endpoint} (with path-style requests). */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public void createBucket(String bucket) {
    store.createContainerInLocation(null, bucket);
  }

  public void deleteBucket(String bucket) {
    store.deleteContainer(bucket);
  }

  /** The keys stored in a bucket, whole objects only. */
  public List<String> keys(String bucket) {
    return store.list(bucket, org.jclouds.blobstore.options.ListContainerOptions.Builder.recursive()).stream()
        .map(m -> m.getName()).sorted().toList();
  }

  public byte[] content(String bucket, String key) throws java.io.IOException {
    try (var in = store.getBlob(bucket, key).getPayload().openStream()) {
      return in.readAllBytes();
    }
  }

  /** Multipart uploads begun in a bucket and neither completed nor aborted. */
  public List<MultipartUpload> unfinishedUploads(String bucket) {
    return store.listMultipartUploads(bucket);
  }

  /** Fails every multipart part numbered {@code partNumber} or more, from now on. */
  public void failPartsFrom(int partNumber) {
    store.failFrom.set(partNumber);
  }

  /** How many multipart uploads were aborted. */
  public int abortedUploads() {
    return store.aborted.get();
  }

  /** Sets this JVM's AWS credentials (system properties, read by AWS's standard chain) to this server's. */
  public static void useCredentials(String accessKey, String secretKey) {
    System.setProperty("aws.accessKeyId", accessKey);
    System.setProperty("aws.secretAccessKey", secretKey);
  }

  @Override
  public void close() {
    try {
      proxy.stop(); // its threads would keep the JVM alive
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not stop", e);
    } finally {
      context.close();
    }
  }

  private static final class FaultyStore extends ForwardingBlobStore {
    final AtomicInteger failFrom = new AtomicInteger(Integer.MAX_VALUE);
    final AtomicInteger aborted = new AtomicInteger();

    FaultyStore(BlobStore delegate) {
      super(delegate);
    }

    @Override
    public MultipartPart uploadMultipartPart(MultipartUpload upload, int partNumber, Payload payload) {
      if (partNumber >= failFrom.get()) {
        throw new RuntimeException("part " + partNumber + " refused by the test");
      }
      return super.uploadMultipartPart(upload, partNumber, payload);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
      aborted.incrementAndGet();
      super.abortMultipartUpload(upload);
    }
  }
}
