package io.spool.http.internal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.spool.engine.JobStore;
import io.spool.engine.SpoolEngine;
import io.spool.media.SpoolException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (it can take jobs), {@code /v1/capabilities},
 * {@code /v1/workers}.
 */
final class HealthRoutes {
  private final SpoolEngine engine;
  private final Supplier<?> capabilities;

  HealthRoutes(SpoolEngine engine, Supplier<?> capabilities) {
    this.engine = engine;
    this.capabilities = capabilities;
  }

  void addTo(RoutesConfig routes) {
    routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    routes.get("/readyz", this::ready);
    routes.get("/v1/capabilities", ctx -> ctx.json(capabilities.get()));
    routes.get("/v1/workers", this::workers);
  }

  /** One media worker as the job store has it, with its state now. */
  record Worker(String id, String host, long pid, java.util.List<String> queues, int cpu, int memoryMib, boolean gpuEncode,
      String state, java.time.Instant startedAt, java.time.Instant lastSeen, java.time.Instant stoppedAt) {}

  /** The media workers seen in the last day ({@code spool workers}); an embedded engine's own is not recorded. */
  private void workers(Context ctx) {
    java.time.Instant now = java.time.Instant.now();
    var list = engine.store().workers(now.minus(io.spool.engine.WorkerRecord.KEPT_FOR)).stream()
        .map(w -> new Worker(w.id(), w.host(), w.pid(), w.queues(), w.cpu(), w.memoryMiB(), w.gpuEncode(), w.state(now),
            w.startedAt(), w.lastSeen(), w.stoppedAt())).toList();
    ctx.json(Map.of("engine", engine.embedded() ? "embedded" : "shared", "workers", list));
  }

  /** Ready when the engine's Temporal service answers and the job store can be read. */
  private void ready(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    String problem = null;
    if (!engine.reachable()) {
      problem = engine.embedded() ? "the embedded Temporal service does not answer"
          : "the Temporal service this server submits to does not answer";
    } else {
      try {
        engine.store().jobs(new JobStore.JobQuery(null, null, 1, null));
      } catch (SpoolException e) {
        problem = "the job store cannot be read: " + e.getMessage();
      }
    }
    body.put("status", problem == null ? "ready" : "not ready");
    body.put("engine", engine.embedded() ? "embedded" : "shared");
    if (problem != null) {
      body.put("reason", problem);
    }
    ctx.status(problem == null ? 200 : 503).json(body);
  }
}
