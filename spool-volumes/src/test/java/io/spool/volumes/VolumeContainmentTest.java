package io.spool.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spool.media.ErrorCode;
import io.spool.media.SpoolException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeContainmentTest {
  @TempDir Path dir;
  private LocalVolume media;
  private Path outside;
  private Path secret;
  private Path local;

  @BeforeEach
  void volumeBesideAnOutsideFolder() throws Exception {
    media = VolumeStore.at(dir.resolve("volumes")).create("media");
    outside = Files.createDirectories(dir.resolve("outside"));
    secret = Files.writeString(outside.resolve("secret.mp4"), "not the volume's");
    local = Files.writeString(dir.resolve("x.mp4"), "new content");
  }

  private static void refusedAsOutside(ThrowingCallable call, String ref) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(SpoolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENT))
        .hasMessageContaining(ref)
        .hasMessageContaining("outside volume media")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aLinkedFolderLeadingOutsideCannotBeWrittenReadOrRemovedThrough() throws Exception {
    Files.createSymbolicLink(media.root().resolve("link"), outside);

    refusedAsOutside(() -> media.put(local, "link/evil.mp4"), "media:link/evil.mp4");
    refusedAsOutside(() -> media.write("link/evil.mp4", null), "media:link/evil.mp4");
    refusedAsOutside(() -> media.get("link/secret.mp4", dir.resolve("got.mp4")), "media:link/secret.mp4");
    refusedAsOutside(() -> media.readable("link/secret.mp4", null), "media:link/secret.mp4");
    refusedAsOutside(() -> media.exists("link/secret.mp4"), "media:link/secret.mp4");
    refusedAsOutside(() -> media.remove("link/secret.mp4"), "media:link/secret.mp4");
    refusedAsOutside(() -> media.list("link"), "media:link");

    assertThat(outside.resolve("evil.mp4")).doesNotExist();
    assertThat(dir.resolve("got.mp4")).doesNotExist();
    assertThat(secret).hasContent("not the volume's");
  }

  @Test
  void aLinkThatIsTheFileItselfCannotLeadOutside() throws Exception {
    Files.createSymbolicLink(media.root().resolve("clip.mp4"), secret);

    refusedAsOutside(() -> media.put(local, "clip.mp4"), "media:clip.mp4");
    refusedAsOutside(() -> media.get("clip.mp4", dir.resolve("got.mp4")), "media:clip.mp4");
    refusedAsOutside(() -> media.readable("clip.mp4", null), "media:clip.mp4");

    assertThat(secret).hasContent("not the volume's");
    assertThat(dir.resolve("got.mp4")).doesNotExist();
  }

  @Test
  void aLinkToAMissingFileOutsideIsRefusedAndNothingIsCreatedThere() throws Exception {
    Files.createSymbolicLink(media.root().resolve("ghost.mp4"), outside.resolve("ghost.mp4"));

    refusedAsOutside(() -> media.put(local, "ghost.mp4"), "media:ghost.mp4");

    assertThat(outside.resolve("ghost.mp4")).doesNotExist();
  }

  @Test
  void noFolderIsCreatedThroughALinkDeepInTheVolume() throws Exception {
    Path deep = Files.createDirectories(media.root().resolve("a/b"));
    Files.createSymbolicLink(deep.resolve("link"), outside);

    refusedAsOutside(() -> media.put(local, "a/b/link/c/d/evil.mp4"), "media:a/b/link/c/d/evil.mp4");

    assertThat(outside.resolve("c")).doesNotExist();
  }

  @Test
  void linksThatStayInsideTheVolumeAreFollowed() throws Exception {
    Path real = Files.createDirectories(media.root().resolve("real"));
    Files.createSymbolicLink(media.root().resolve("alias"), Path.of("real"));
    Files.createSymbolicLink(real.resolve("same.mp4"), Path.of("../real/x.mp4"));

    media.put(local, "alias/x.mp4");
    media.get("real/same.mp4", dir.resolve("got.mp4"));
    media.put(Files.writeString(dir.resolve("y.mp4"), "newer content"), "real/same.mp4");

    assertThat(dir.resolve("got.mp4")).hasContent("new content");
    assertThat(real.resolve("x.mp4")).hasContent("newer content");
    assertThat(real.resolve("same.mp4")).isSymbolicLink();
    assertThat(media.exists("alias/x.mp4")).isTrue();
  }

  @Test
  void aFolderSwappedForALinkWhileWritingIsNotPublishedThrough() throws Exception {
    try (Volume.Write w = media.write("sub/x.mp4", null)) {
      Files.writeString(w.file(), "new content");
      Path moved = Files.move(media.root().resolve("sub"), outside.resolve("sub"));
      Files.createSymbolicLink(media.root().resolve("sub"), moved);

      refusedAsOutside(w::commit, "media:sub/x.mp4");
    }

    assertThat(outside.resolve("sub/x.mp4")).doesNotExist();
  }
}
