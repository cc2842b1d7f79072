import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The clients of bench/http-throughput: CLIENTS threads, each with its own kept-alive
 * connection as an application's HTTP client pool has, post JOBS job requests between them, all
 * made ready before the first is sent. Prints one line per request: its status and the
 * milliseconds from sending it to the whole answer, then the seconds from the first send to the
 * last answer. Arguments: URL TOKEN JOBS CLIENTS INPUT (a volume path) [TYPE]: a TYPE of
 * {@code none} names a job type that does not exist, so that each request goes through the same
 * connection, token check and JSON reading and is answered 400 without recording anything: the
 * floor under the time to accept a job on this host at this moment.
 */
public class HttpClients {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    String token = args[1];
    int jobs = Integer.parseInt(args[2]);
    int clients = Integer.parseInt(args[3]);
    String input = args[4];
    String type = args.length > 5 ? args[5] : "transcode";
    List<HttpRequest> requests = new ArrayList<>();
    for (int i = 1; i <= jobs; i++) {
      String body = "{\"type\": \"" + type + "\", \"input\": \"" + input + "\", \"output\": \"media:out/" + i
          + ".mp4\", \"options\": {\"preset\": \"preview\"}}";
      requests.add(HttpRequest.newBuilder(URI.create(url + "/v1/jobs")).timeout(Duration.ofSeconds(60))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    ThreadLocal<HttpClient> client = ThreadLocal.withInitial(() -> HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build());
    // Each thread connects once before the timing starts.
    List<Future<?>> warm = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      warm.add(pool.submit(() -> client.get().send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
          HttpResponse.BodyHandlers.discarding())));
    }
    for (Future<?> f : warm) {
      f.get();
    }
    long t0 = System.nanoTime();
    List<Future<String>> answers = new ArrayList<>();
    for (HttpRequest r : requests) {
      answers.add(pool.submit(() -> {
        long s = System.nanoTime();
        int status;
        try {
          status = client.get().send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException e) {
          status = 0;
        }
        return status + " " + (System.nanoTime() - s) / 1e6;
      }));
    }
    StringBuilder out = new StringBuilder();
    for (Future<String> f : answers) {
      out.append(f.get()).append('\n');
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    System.out.print(out);
    System.out.println("elapsed " + seconds);
  }
}
