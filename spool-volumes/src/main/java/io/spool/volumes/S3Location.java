package io.spool.volumes;

import io.spool.media.BadArgumentException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where an S3 volume keeps its files: {@code s3://bucket/prefix} in the bucket of an S3-compatible
 * service. A file {@code a/b.mp4} of the volume is the object {@code prefix/a/b.mp4}.
 *
 * @param bucket the bucket's name
 * @param prefix the key prefix, without a leading or trailing '/' ("" for the whole bucket)
 * @param endpoint the service's address, or null for AWS itself
 * @param pathStyle whether the bucket goes in the path ({@code http://host/bucket/key}) rather than the host name
 * @param region the signing region, or null for the one AWS's settings name (else us-east-1)
 */
public record S3Location(String bucket, String prefix, URI endpoint, boolean pathStyle, String region) {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public S3Location {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new BadArgumentException("not an S3 bucket name (3-63 lower-case letters, digits, '.', '-'): '" + bucket + "'");
    }
    prefix = VolumePath.normalize(prefix);
    if (endpoint != null) {
      String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
        throw new BadArgumentException("the S3 endpoint must be an http:// or https:// address: '" + endpoint + "'");
      }
    }
    if (region != null && region.isBlank()) {
      region = null;
    }
  }

  /** Parses {@code s3://bucket[/prefix]}. */
  public static S3Location parse(String url, URI endpoint, boolean pathStyle, String region) {
    if (url == null || !url.startsWith("s3://")) {
      throw new BadArgumentException("an S3 volume is given as s3://bucket/prefix, not '" + url + "'");
    }
    String rest = url.substring("s3://".length());
    int slash = rest.indexOf('/');
    return new S3Location(slash < 0 ? rest : rest.substring(0, slash), slash < 0 ? "" : rest.substring(slash + 1),
        endpoint, pathStyle, region);
  }

  /** Parses an endpoint given on the command line. */
  public static URI endpoint(String text) {
    if (text == null) {
      return null;
    }
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new BadArgumentException("not an S3 endpoint address: '" + text + "': " + e.getReason());
    }
  }

  /** The object key of a volume path. */
  String key(String path) {
    if (prefix.isEmpty()) {
      return path;
    }
    return path.isEmpty() ? prefix : prefix + "/" + path;
  }

  /** The volume path of an object key under the prefix, or null for a key outside it. */
  String pathOf(String key) {
    if (prefix.isEmpty()) {
      return key;
    }
    return key.startsWith(prefix + "/") ? key.substring(prefix.length() + 1) : null;
  }

  /** {@code s3://bucket/prefix}. */
  public String url() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  /** {@code s3://bucket/key} of a volume path, for messages. */
  String url(String path) {
    return "s3://" + bucket + "/" + key(path);
  }

  @Override
  public String toString() {
    return url() + (endpoint == null ? "" : " at " + endpoint);
  }

  Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("kind", "s3");
    p.setProperty("bucket", bucket);
    p.setProperty("prefix", prefix);
    if (endpoint != null) {
      p.setProperty("endpoint", endpoint.toString());
    }
    p.setProperty("pathStyle", Boolean.toString(pathStyle));
    if (region != null) {
      p.setProperty("region", region);
    }
    return p;
  }

  /**
   * This location as plain strings (no credentials: those come from each host's AWS settings), for
   * a job to carry to workers whose Spool homes do not record the volume; {@link #fromMap} reads it.
   */
  public java.util.Map<String, String> toMap() {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    toProperties().forEach((k, v) -> m.put(k.toString(), v.toString()));
    return m;
  }

  /** Reads what {@link #toMap} wrote (as it comes back from JSON). */
  public static S3Location fromMap(java.util.Map<?, ?> map) {
    Properties p = new Properties();
    map.forEach((k, v) -> {
      if (k != null && v != null) {
        p.setProperty(k.toString(), v.toString());
      }
    });
    if (!"s3".equals(p.getProperty("kind"))) {
      throw new BadArgumentException("not an S3 volume's location: " + map);
    }
    return fromProperties(p);
  }

  static S3Location fromProperties(Properties p) {
    return new S3Location(p.getProperty("bucket"), p.getProperty("prefix", ""), endpoint(p.getProperty("endpoint")),
        Boolean.parseBoolean(p.getProperty("pathStyle")), p.getProperty("region"));
  }
}
