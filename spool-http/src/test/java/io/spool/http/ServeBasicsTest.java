package io.spool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.EngineConfig;
import io.spool.engine.SpoolEngine;
import io.spool.media.BadArgumentException;
import io.spool.media.ErrorCode;
import io.spool.media.testing.MediaFixtures;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeBasicsTest {
  @TempDir static Path home;
  static RunningServer s;

  @BeforeAll
  static void start() {
    s = RunningServer.in(home, b -> b.capabilities(() -> Map.of("ffmpegVersion", "5.1", "ok", true)));
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void healthChecksAnswerWithoutAToken() {
    HttpResponse<String> health = s.send(HttpRequest.newBuilder(s.uri("/healthz")).GET());
    HttpResponse<String> ready = s.send(HttpRequest.newBuilder(s.uri("/readyz")).GET());

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(RunningServer.json(health).path("status").asText()).isEqualTo("ok");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(RunningServer.json(ready).path("status").asText()).isEqualTo("ready");
    assertThat(RunningServer.json(ready).path("engine").asText()).isEqualTo("embedded");
  }

  @Test
  void everyOtherRouteIsRefusedWithoutAValidToken() {
    for (String path : List.of("/v1/capabilities", "/v1/jobs", "/no/such/route")) {
      HttpResponse<String> none = s.send(HttpRequest.newBuilder(s.uri(path)).GET());
      HttpResponse<String> wrong = s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Bearer not-the-token-at-all"));
      HttpResponse<String> basic = s.send(HttpRequest.newBuilder(s.uri(path)).header("Authorization", "Basic " + RunningServer.TOKEN));

      for (HttpResponse<String> r : List.of(none, wrong, basic)) {
        assertThat(r.statusCode()).as(path).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        JsonNode error = RunningServer.json(r).path("error");
        assertThat(error.path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(r.body()).doesNotContain(RunningServer.TOKEN);
      }
    }
  }

  @Test
  void capabilitiesAreWhatTheServerWasGiven() {
    HttpResponse<String> r = s.get("/v1/capabilities");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(RunningServer.json(r).path("ffmpegVersion").asText()).isEqualTo("5.1");
  }

  @Test
  void anUnknownRouteIsANotFoundInJson() {
    HttpResponse<String> r = s.get("/v1/nothing-here");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(RunningServer.json(r).path("error").path("code").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void aServerWithoutTokensDoesNotStart() {
    try (SpoolEngine engine = SpoolEngine.embedded(EngineConfig.newBuilder(home.resolve("other")).tools(MediaFixtures.tools()).build())) {
      assertThatThrownBy(() -> SpoolServer.newBuilder(engine).port(0).build())
          .isInstanceOf(BadArgumentException.class).hasMessageContaining("SPOOL_API_TOKENS");
      assertThatThrownBy(() -> ApiTokens.parse("short"))
          .isInstanceOfSatisfying(BadArgumentException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT));
    }
  }

  @Test
  void tokensAreNeverShown() {
    ApiTokens tokens = ApiTokens.parse(RunningServer.TOKEN + ", another-token-0123456789");

    assertThat(tokens.toString()).isEqualTo("2 API tokens").doesNotContain("token-0");
    assertThat(tokens.accepts(RunningServer.TOKEN)).isTrue();
    assertThat(tokens.accepts("another-token-0123456789")).isTrue();
    assertThat(tokens.accepts(RunningServer.TOKEN + "x")).isFalse();
  }
}
