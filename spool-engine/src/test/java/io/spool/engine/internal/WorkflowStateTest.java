package io.spool.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.temporal.api.errordetails.v1.NamespaceNotFoundFailure;
import io.temporal.api.errordetails.v1.NotFoundFailure;
import io.temporal.serviceclient.StatusUtils;
import org.junit.jupiter.api.Test;

/** How the answers of a Temporal service read as a batch workflow's state (as a real server sends them). */
class WorkflowStateTest {
  @Test
  void aMissingNamespaceSaysNothingOfTheWorkflowWhileAMissingWorkflowIsNotFound() {
    assertThat(WorkflowState.of(StatusUtils.newException(Status.NOT_FOUND.withDescription("namespace nope not found"),
        NamespaceNotFoundFailure.newBuilder().setNamespace("nope").build(), NamespaceNotFoundFailure.getDescriptor())))
        .isEqualTo(WorkflowState.UNKNOWN);
    assertThat(WorkflowState.of(StatusUtils.newException(Status.NOT_FOUND.withDescription("workflow not found"),
        NotFoundFailure.getDefaultInstance(), NotFoundFailure.getDescriptor()))).isEqualTo(WorkflowState.NOT_FOUND);
    // The in-process test service sends no details.
    assertThat(WorkflowState.of(Status.NOT_FOUND.asRuntimeException())).isEqualTo(WorkflowState.NOT_FOUND);
    assertThat(WorkflowState.of(Status.UNAVAILABLE.asRuntimeException())).isEqualTo(WorkflowState.UNKNOWN);
  }
}
