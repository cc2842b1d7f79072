package io.spool.http.internal;

import io.spool.http.UrlPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.function.Function;

/**
 * Requests the server makes to URLs it was given (webhooks, input URLs): redirects are followed
 * here, not by the client, so that every hop is checked against the policy before it is called,
 * at most {@link #MAX_REDIRECTS} of them.
 */
final class PolicedRequests {
  static final int MAX_REDIRECTS = 3;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private PolicedRequests() {}

  /** A client that follows no redirect by itself. */
  static HttpClient client(java.time.Duration connectTimeout) {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).build();
  }

  /**
   * Sends the request {@code request} makes for {@code target}, and again for each redirect's
   * target once the policy allows it; returns the first answer that is not a redirect.
   *
   * @throws io.spool.media.BadArgumentException a hop the policy refuses
   */
  static <T> HttpResponse<T> send(HttpClient client, UrlPolicy policy, URI target, Function<URI, HttpRequest> request,
      HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
    URI uri = target;
    for (int hop = 0; ; hop++) {
      policy.check(uri.toString());
      HttpResponse<T> r = client.send(request.apply(uri), body);
      var location = r.headers().firstValue("Location");
      if (!REDIRECTS.contains(r.statusCode()) || location.isEmpty()) {
        return r;
      }
      if (r.body() instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // a redirect's body is not read
        }
      }
      if (hop == MAX_REDIRECTS) {
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
      }
      uri = uri.resolve(location.get());
    }
  }
}
