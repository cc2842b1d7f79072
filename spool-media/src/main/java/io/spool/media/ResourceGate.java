package io.spool.media;

/**
 * Guards the CPU-heavy part of an operation: a transcode probes and verifies outside the gate and
 * holds it only while ffmpeg encodes, so that a worker can prepare the next job while the CPU is
 * busy with the current ones.
 */
public interface ResourceGate {
  /** A gate that never waits. */
  ResourceGate OPEN = new ResourceGate() {
    @Override
    public void enter() {}

    @Override
    public void leave() {}
  };

  /** Waits for capacity. */
  void enter() throws InterruptedException;

  /** Gives the capacity back; called once after each successful {@link #enter()}. */
  void leave();
}
