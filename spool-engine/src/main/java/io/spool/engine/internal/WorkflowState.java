package io.spool.engine.internal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Where a batch's workflow stands, as its Temporal service tells (asked with a short deadline). */
public enum WorkflowState {
  RUNNING,
  /** Ended normally: the batch's record was tallied before it ended. */
  COMPLETED,
  /** Ended without finishing its work: failed, terminated, timed out or cancelled. */
  ENDED_UNFINISHED,
  /** The service does not know it (a dev-server that was restarted lost it, or it never started). */
  NOT_FOUND,
  /** The service did not answer: nothing can be said. */
  UNKNOWN;

  private static final Duration DEADLINE = Duration.ofSeconds(3);

  /** The state of workflow {@code workflowId}, and how it closed where it did. */
  public record Seen(WorkflowState state, String closedAs) {}

  public static Seen of(WorkflowClient client, String workflowId) {
    WorkflowExecutionStatus s;
    try {
      s = client.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build())
              .build())
          .getWorkflowExecutionInfo().getStatus();
    } catch (StatusRuntimeException e) {
      return new Seen(e.getStatus().getCode() == Status.Code.NOT_FOUND ? NOT_FOUND : UNKNOWN, null);
    } catch (RuntimeException e) {
      return new Seen(UNKNOWN, null);
    }
    return switch (s) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> new Seen(RUNNING, null);
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> new Seen(COMPLETED, "completed");
      case WORKFLOW_EXECUTION_STATUS_FAILED -> new Seen(ENDED_UNFINISHED, "failed");
      case WORKFLOW_EXECUTION_STATUS_TERMINATED -> new Seen(ENDED_UNFINISHED, "was terminated");
      case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> new Seen(ENDED_UNFINISHED, "timed out");
      case WORKFLOW_EXECUTION_STATUS_CANCELED -> new Seen(ENDED_UNFINISHED, "was cancelled");
      default -> new Seen(UNKNOWN, null);
    };
  }
}
