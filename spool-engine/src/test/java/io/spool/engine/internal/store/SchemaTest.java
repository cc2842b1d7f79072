package io.spool.engine.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SchemaTest {
  @Test
  void theVersionCheckedAtOpenIsTheNewestMigration() throws Exception {
    Path migrations = Path.of(Schema.class.getResource("migration").toURI());
    try (Stream<Path> files = Files.list(migrations)) {
      int newest = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
          .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElse(0);
      assertThat(Schema.LATEST).isEqualTo(newest);
    }
  }
}
