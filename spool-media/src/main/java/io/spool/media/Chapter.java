package io.spool.media;

/** A chapter mark: start and end in seconds, and its title when the file has one. */
public record Chapter(long id, double startSeconds, double endSeconds, String title) {

  public Chapter {
    if (endSeconds < startSeconds) {
      throw new IllegalArgumentException(
          "chapter " + id + " ends (" + endSeconds + ") before it starts (" + startSeconds + ")");
    }
  }
}
