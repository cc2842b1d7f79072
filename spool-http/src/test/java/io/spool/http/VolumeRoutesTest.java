package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /v1/volumes}: put, get, list, delete, and the paths that try to leave a volume. */
class VolumeRoutesTest {
  @TempDir static Path home;
  static RunningServer s;

  @BeforeAll
  static void start() {
    s = RunningServer.in(home, b -> b.maxUploadBytes(1 << 20));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void aPutToAMissingVolumeMakesItAndTheFileCanBeReadListedAndRemoved() {
    assertThat(s.get("/v1/volumes/fresh").statusCode()).isEqualTo(404);

    HttpResponse<String> put = s.send(s.request("/v1/volumes/fresh/in/notes.txt").PUT(HttpRequest.BodyPublishers.ofString("hello")));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(put.headers().firstValue("Location")).hasValue("/v1/volumes/fresh/in/notes.txt");
    assertThat(Files.exists(home.resolve("volumes/fresh/in/notes.txt"))).isTrue();

    HttpResponse<String> got = s.get("/v1/volumes/fresh/in/notes.txt");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo("hello");
    HttpResponse<String> part = s.send(s.request("/v1/volumes/fresh/in/notes.txt").header("Range", "bytes=1-3"));
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo("ell");
    JsonNode listing = RunningServer.json(s.get("/v1/volumes/fresh/"));
    assertThat(listing.path("files")).hasSize(1);
    assertThat(listing.path("files").get(0).path("path").asText()).isEqualTo("in/notes.txt");
    assertThat(listing.path("files").get(0).path("size_bytes").asLong()).isEqualTo(5);

    HttpResponse<String> replaced = s.send(s.request("/v1/volumes/fresh/in/notes.txt").PUT(HttpRequest.BodyPublishers.ofString("bye")));
    assertThat(replaced.statusCode()).isEqualTo(201);
    assertThat(s.get("/v1/volumes/fresh/in/notes.txt").body()).isEqualTo("bye");

    HttpResponse<String> folder = s.send(s.request("/v1/volumes/fresh/in").DELETE());
    assertThat(folder.statusCode()).as(folder.body()).isEqualTo(400);
    assertThat(folder.body()).contains("is a folder");
    assertThat(s.send(s.request("/v1/volumes/fresh/in/notes.txt").DELETE()).statusCode()).isEqualTo(204);
    assertThat(s.get("/v1/volumes/fresh/in/notes.txt").statusCode()).isEqualTo(404);
    assertThat(s.send(s.request("/v1/volumes/fresh/in/notes.txt").DELETE()).statusCode()).isEqualTo(404);
  }

  @Test
  void pathsThatTryToLeaveTheVolumeAreBadRequests() throws Exception {
    Files.writeString(home.resolve("secret.txt"), "secret");
    s.send(s.request("/v1/volumes/media/ok.txt").PUT(HttpRequest.BodyPublishers.ofString("ok")));
    for (String path : List.of("/v1/volumes/media/../../secret.txt", "/v1/volumes/media/a/../../../secret.txt",
        "/v1/volumes/media/..%2F..%2Fsecret.txt", "/v1/volumes/media/%2e%2e/%2e%2e/secret.txt",
        "/v1/volumes/media/%2E%2E%2F%2E%2E%2Fsecret.txt", "/v1/volumes/media/..%5C..%5Csecret.txt",
        "/v1/volumes/media/a%5Cb.txt", "/v1/volumes/media//etc/passwd", "/v1/volumes/media/%252e%252e/secret.txt",
        "/v1/volumes/media/./ok.txt")) {
      for (String method : List.of("GET", "PUT", "DELETE")) {
        HttpResponse<String> r = s.send(s.request(path).method(method, method.equals("PUT")
            ? HttpRequest.BodyPublishers.ofString("overwritten") : HttpRequest.BodyPublishers.noBody()));

        assertThat(r.statusCode()).as(method + " " + path + " -> " + r.body()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("secret\"").isNotEqualTo("secret");
      }
    }
    assertThat(Files.readString(home.resolve("secret.txt"))).isEqualTo("secret");
    assertThat(s.get("/v1/volumes/media/ok.txt").body()).isEqualTo("ok");
  }

  @Test
  void anUploadPastTheLimitIsRefusedBeforeItIsRead() throws Exception {
    // A raw socket: the JDK's client waits forever for a 100 Continue that a refusal never sends.
    try (RawHttp raw = new RawHttp(s.server.port(), "PUT /v1/volumes/media/big.bin HTTP/1.1\nHost: 127.0.0.1\n"
        + "Authorization: Bearer " + RunningServer.TOKEN + "\nContent-Length: " + ((1 << 20) + 1) + "\n")) {
      assertThat(raw.answer()).startsWith("HTTP/1.1 413").contains("TOO_LARGE");
    }
    assertThat(s.get("/v1/volumes/media/big.bin").statusCode()).isEqualTo(404);
  }
}
