package io.spool.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.spool.engine.EngineConfig;
import io.spool.engine.SpoolEngine;
import io.spool.http.ApiTokens;
import io.spool.http.SpoolServer;
import io.spool.media.testing.MediaFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checked-in OpenAPI document against the routes the server really registers, so that the two cannot drift. */
class OpenApiDocumentTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

  @TempDir static Path home;
  static SpoolEngine engine;
  static Api api;
  static Javalin app;
  static JsonNode served;

  @BeforeAll
  static void start() throws Exception {
    engine = SpoolEngine.embedded(EngineConfig.newBuilder(home).tools(MediaFixtures.tools()).build());
    SpoolServer.Settings settings = SpoolServer.newBuilder(engine).port(0)
        .tokens(ApiTokens.of(List.of("test-token-0123456789abcdef"))).build().settings();
    api = new Api(settings);
    app = api.create().start("127.0.0.1", 0);
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("served without a token: " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    served = HttpJson.MAPPER.readTree(r.body());
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.stop();
    }
    if (api != null) {
      api.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void everyRouteTheServerRegistersIsDocumentedAndNothingElse() {
    Set<String> registered = new TreeSet<>();
    for (var e : app.unsafe.internalRouter.allHttpHandlers()) {
      if (e.endpoint.method.isHttpMethod()) {
        // Javalin's <name> takes slashes too; OpenAPI writes every path parameter as {name}.
        registered.add(e.endpoint.method.name() + " " + e.endpoint.path.replaceAll("<([^>]+)>", "{$1}"));
      }
    }
    Set<String> documented = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : served.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        if (METHODS.contains(op.getKey())) {
          documented.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
        }
      }
    }

    assertThat(registered).as("routes").isNotEmpty().contains("GET /v1/jobs/{id}", "GET /v1/volumes/{volume}/{path}");
    assertThat(documented).as("documented routes").containsExactlyElementsOf(registered);
  }

  @Test
  void theDocumentIsOpenApi31WithEveryOperationComplete() {
    assertThat(served.path("openapi").asText()).startsWith("3.1.");
    assertThat(served.path("info").path("title").asText()).isNotBlank();
    Set<String> operationIds = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : served.path("paths").properties()) {
      Set<String> inPath = new TreeSet<>();
      Matcher m = PATH_PARAM.matcher(path.getKey());
      while (m.find()) {
        inPath.add(m.group(1));
      }
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        String where = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
        if (!METHODS.contains(op.getKey())) {
          problems.add(where + ": not an HTTP method");
          continue;
        }
        if (!operationIds.add(op.getValue().path("operationId").asText())) {
          problems.add(where + ": operationId missing or used twice");
        }
        if (op.getValue().path("summary").asText().isBlank()) {
          problems.add(where + ": no summary");
        }
        if (op.getValue().path("responses").isEmpty()) {
          problems.add(where + ": no responses");
        }
        Set<String> declared = new TreeSet<>();
        op.getValue().path("parameters").forEach(p -> {
          if (p.path("in").asText().equals("path")) {
            declared.add(p.path("name").asText());
            if (!p.path("required").asBoolean()) {
              problems.add(where + ": path parameter " + p.path("name").asText() + " not required");
            }
          }
        });
        if (!declared.equals(inPath)) {
          problems.add(where + ": path parameters " + declared + " but the path has " + inPath);
        }
      }
    }
    collectRefs(served, problems);

    assertThat(problems).isEmpty();
  }

  /** Every {@code $ref} points at a schema the document has. */
  private static void collectRefs(JsonNode node, List<String> problems) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null) {
        String target = ref.asText();
        if (!target.startsWith("#/") || served.at(target.substring(1)).isMissingNode()) {
          problems.add("dangling $ref " + target);
        }
      }
    }
    if (node.isContainerNode()) {
      for (JsonNode child : node) {
        collectRefs(child, problems);
      }
    }
  }
}
