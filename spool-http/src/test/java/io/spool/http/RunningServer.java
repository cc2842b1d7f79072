package io.spool.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.EngineConfig;
import io.spool.engine.SpoolEngine;
import io.spool.http.internal.HttpJson;
import io.spool.media.testing.MediaFixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real server on a free port of 127.0.0.1 over a real embedded engine in a fresh Spool home,
 * and a real HTTP client that sends the test token.
 */
final class RunningServer implements AutoCloseable {
  static final String TOKEN = "test-token-0123456789abcdef";
  static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = HttpJson.MAPPER;

  final Path home;
  final SpoolEngine engine;
  final SpoolServer server;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunningServer(Path home, UnaryOperator<SpoolServer.Builder> settings) {
    this.home = home;
    this.engine = SpoolEngine.embedded(EngineConfig.newBuilder(home).tools(MediaFixtures.tools()).build());
    this.server = settings.apply(SpoolServer.newBuilder(engine).port(0).tokens(ApiTokens.of(List.of(TOKEN)))).build().start();
  }

  static RunningServer in(Path home) {
    return new RunningServer(home, b -> b);
  }

  static RunningServer in(Path home, UnaryOperator<SpoolServer.Builder> settings) {
    return new RunningServer(home, settings);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  /** A request to the server with the test token. */
  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofMinutes(2));
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> get(String pathAndQuery) {
    return send(request(pathAndQuery).GET());
  }

  HttpResponse<String> postJson(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return HttpJson.MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
    }
  }

  @Override
  public void close() {
    server.close();
    engine.close();
  }
}
