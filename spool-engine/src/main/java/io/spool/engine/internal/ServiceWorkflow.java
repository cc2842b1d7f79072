package io.spool.engine.internal;

import io.temporal.client.WorkflowClient;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.Optional;

/**
 * The name of a shared service as its coordinator gives it, answered to whoever asks, whatever
 * address they reached the service by. A submitter records this name as its batch's coordinator
 * and a coordinator runs the batches recorded with its own name: the text a submitter typed
 * ({@code localhost:7233}, an IP address, a DNS alias) names no service by itself, since two hosts
 * that share a job store may each run a dev-server on {@code localhost:7233}. (Temporal's search
 * attributes, which could carry it, are not in the in-process service; the job store could, but a
 * submitter would still have to match its typed address to a row.) The coordinator runs one
 * such workflow per service, under {@link #ID}, waiting for nothing until the service ends.
 */
@WorkflowInterface
public interface ServiceWorkflow {
  /** The workflow id every coordinator of a service uses, so that asking needs nothing but the service. */
  String ID = "spool-service";

  /** Holds {@code name} for queries until the service (or the workflow) ends. */
  @WorkflowMethod(name = "SpoolService")
  void run(String name);

  /** The service's name, as its coordinator gave it. */
  @QueryMethod(name = "name")
  String name();

  /** The name the coordinator of {@code client}'s service gives it; empty where none answers. */
  static Optional<String> nameOf(WorkflowClient client) {
    try {
      return Optional.ofNullable(client.newWorkflowStub(ServiceWorkflow.class, ID).name()).filter(n -> !n.isBlank());
    } catch (RuntimeException e) {
      return Optional.empty(); // no coordinator runs there (yet), or the service does not answer
    }
  }
}
