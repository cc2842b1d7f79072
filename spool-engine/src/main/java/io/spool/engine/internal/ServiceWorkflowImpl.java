package io.spool.engine.internal;

import io.temporal.workflow.Workflow;

/** Holds the service's name for queries; see {@link ServiceWorkflow}. */
public class ServiceWorkflowImpl implements ServiceWorkflow {
  private String name;

  @Override
  public void run(String name) {
    this.name = name;
    Workflow.await(() -> false);
  }

  @Override
  public String name() {
    return name;
  }
}
