import io.spool.volumes.S3Server;

/**
 * An S3-compatible server for benchmarks (the tests' s3proxy over an in-memory store), until the
 * process is killed: makes the bucket named by its argument, then prints its endpoint. Its
 * credentials are S3Server.ACCESS_KEY and SECRET_KEY.
 */
public class S3Serve {
  public static void main(String[] args) throws Exception {
    S3Server s3 = S3Server.start();
    s3.createBucket(args[0]);
    System.out.println(s3.endpoint());
    System.out.flush();
    Thread.currentThread().join();
  }
}
