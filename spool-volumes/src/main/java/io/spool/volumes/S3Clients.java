package io.spool.volumes;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 clients of one {@link VolumeStore}: one for each service address, shared by the volumes
 * there, since each holds a pool of connections. Credentials come from AWS's standard chain (the
 * {@code aws.accessKeyId} system properties, the {@code AWS_ACCESS_KEY_ID} environment variables,
 * {@code ~/.aws} profiles, then the host's role), looked up again as they expire.
 */
final class S3Clients implements AutoCloseable {
  private record Service(URI endpoint, boolean pathStyle, String region) {}

  private final Map<Service, S3Client> clients = new HashMap<>();
  private final Map<Service, S3Presigner> presigners = new HashMap<>();

  synchronized S3Client of(S3Location location) {
    return clients.computeIfAbsent(service(location), S3Clients::open);
  }

  /** What signs URLs for the service of {@code location}, with the same credentials and settings. */
  synchronized S3Presigner presignerOf(S3Location location) {
    return presigners.computeIfAbsent(service(location), s -> {
      var b = S3Presigner.builder().region(region(s.region()))
          .credentialsProvider(DefaultCredentialsProvider.builder().build())
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s.pathStyle()).build());
      if (s.endpoint() != null) {
        b.endpointOverride(s.endpoint());
      }
      return b.build();
    });
  }

  private static Service service(S3Location location) {
    return new Service(location.endpoint(), location.pathStyle(), location.region());
  }

  private static S3Client open(Service s) {
    var b = S3Client.builder()
        .region(region(s.region()))
        .credentialsProvider(DefaultCredentialsProvider.builder().build())
        .forcePathStyle(s.pathStyle())
        // Checksums only where S3 requires them: S3-compatible services reject the newer default ones.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (s.endpoint() != null) {
      b.endpointOverride(s.endpoint());
    }
    return b.build();
  }

  /**
   * The region named for the volume, else the one AWS's settings name (system property,
   * environment, profile), else us-east-1, which S3-compatible services accept. The host's
   * metadata service is not asked: off AWS it only delays the answer.
   */
  private static Region region(String named) {
    if (named != null) {
      return Region.of(named);
    }
    try {
      return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider()).getRegion();
    } catch (SdkClientException e) {
      return Region.US_EAST_1;
    }
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(S3Client::close);
    clients.clear();
    presigners.values().forEach(S3Presigner::close);
    presigners.clear();
  }
}
