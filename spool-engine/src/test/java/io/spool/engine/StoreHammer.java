package io.spool.engine;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A process that hammers the job store, for {@link JobStoreContract}'s test of two processes
 * changing the same records: {@code HOME URL-or-"sqlite" ROUNDS JOB...} adds one to the
 * {@code count} parameter of each job, ROUNDS times, each addition one {@link JobStore#update},
 * and prints {@code done} at the end.
 */
public final class StoreHammer {
  private StoreHammer() {}

  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    String url = "sqlite".equals(args[1]) ? null : args[1];
    int rounds = Integer.parseInt(args[2]);
    try (JobStore store = JobStore.open(home, url)) {
      store.cancelRequests(); // opens the store, also for no rounds at all
      for (int i = 0; i < rounds; i++) {
        for (int j = 3; j < args.length; j++) {
          store.update(args[j], StoreHammer::countOneMore);
        }
      }
    }
    System.out.println("done");
  }

  static JobRecord countOneMore(JobRecord r) {
    Map<String, Object> params = new HashMap<>(r.params());
    params.put("count", ((Number) params.getOrDefault("count", 0)).intValue() + 1);
    return new JobRecord(r.id(), r.batchId(), r.index(), r.type(), r.input(), r.output(), r.state(), r.resources(),
        r.createdAt(), r.startedAt(), r.coordinatorPid(), r.outcome(), params);
  }
}
