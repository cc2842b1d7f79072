package io.spool.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.BadArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeListingTest {
  @TempDir Path dir;
  private VolumeStore store;
  private LocalVolume media;

  @BeforeEach
  void emptyVolume() {
    store = VolumeStore.at(dir.resolve("volumes"));
    media = store.create("media");
  }

  /** Stores a file straight on disk, the way a user or another program would. */
  private Path stored(LocalVolume volume, String path) throws Exception {
    Path f = volume.root().resolve(path);
    Files.createDirectories(f.getParent());
    return Files.writeString(f, "content of " + path);
  }

  @Test
  void everyListedPathIsAcceptedAndNamesTheFileItWasListedFor() throws Exception {
    List<String> names = List.of("\\..\\x.mp4", "a\\b.mp4", "sub/c.mp4", " leading space.mp4", "odd:colon.mp4",
        "ünïcödé.mp4", "mine.partial");
    for (String name : names) {
      stored(media, name);
    }
    Files.createSymbolicLink(media.root().resolve("alias.mp4"), Path.of("sub/c.mp4"));

    List<VolumeEntry> entries = media.list("");

    assertThat(entries).extracting(VolumeEntry::path)
        .containsExactlyInAnyOrderElementsOf(concat(names, "alias.mp4"));
    for (VolumeEntry e : entries) {
      VolumePath ref = VolumePath.parse("media:" + e.path());
      assertThat(ref.path()).isEqualTo(e.path());
      Path f = media.readable(ref.path(), null);
      assertThat(f).isEqualTo(media.root().resolve(e.path()).toRealPath());
      assertThat(Files.size(f)).isEqualTo(e.sizeBytes());
    }
  }

  @Test
  void linksLeadingOutsideAndNamesNoVolumePathCanSayAreLeftOut() throws Exception {
    Path outside = Files.writeString(dir.resolve("outside.mp4"), "not the volume's");
    Files.createSymbolicLink(media.root().resolve("out.mp4"), outside);
    stored(media, "line\nbreak.mp4");
    stored(media, "kept.mp4");

    assertThat(media.list("")).extracting(VolumeEntry::path).containsExactly("kept.mp4");
  }

  @Test
  void aVolumeIsDeletedWithoutForceOnlyWhenItHoldsNoFileAtAll() throws Exception {
    Path partial = stored(media, "mine.partial");
    LocalVolume odd = store.create("odd");
    Path unlisted = stored(odd, "line\nbreak.mp4");
    LocalVolume folders = store.create("folders");
    Files.createDirectories(folders.root().resolve("empty/inside"));

    assertThatThrownBy(() -> store.delete("media", false)).isInstanceOf(BadArgumentException.class)
        .hasMessageContaining("not empty");
    assertThatThrownBy(() -> store.delete("odd", false)).isInstanceOf(BadArgumentException.class)
        .hasMessageContaining("not empty");
    store.delete("folders", false);

    assertThat(partial).exists();
    assertThat(unlisted).exists();
    assertThat(store.names()).containsExactly("media", "odd");
  }

  private static List<String> concat(List<String> names, String more) {
    return java.util.stream.Stream.concat(names.stream(), java.util.stream.Stream.of(more)).toList();
  }
}
