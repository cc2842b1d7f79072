package io.spool.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.spool.engine.JobSpec;
import io.spool.engine.Resources;
import io.spool.http.internal.HttpJson;

/**
 * A job type that {@code POST /v1/jobs} and {@code POST /v1/batches} accept: how a request's
 * input, output and {@code options} object become the job. The server knows Spool's media
 * operations; a host adds others (transcription, say) with {@link SpoolServer.Builder#jobType}.
 */
public interface JobRequestType {
  /** The {@code type} a request names. */
  String name();

  /** Whether a request must name an output; otherwise the type picks one beside the input, or writes none. */
  default boolean needsOutput() {
    return true;
  }

  /**
   * The job {@code request} asks for.
   *
   * @throws io.spool.media.SpoolException a bad option as BAD_ARGUMENT, a missing file as INPUT_NOT_FOUND
   */
  JobSpec spec(Request request);

  /**
   * One request.
   *
   * @param input a {@code VOLUME:path} that exists, or the file of a finished upload on the server
   * @param inputName the input's file name (an upload's as its client named it), to name outputs after
   * @param output a {@code VOLUME:path} whose volume exists, or null where the request named none (never
   *     for an upload)
   * @param options the request's {@code options} object, or null
   * @param where the request's place, for messages: {@code ""} or {@code "jobs[3]."}
   */
  record Request(String input, String inputName, String output, JsonNode options, Resources resources, boolean overwrite,
      String where) {
    /** The options as {@code type} (a record of snake_case fields); a field it lacks is refused. */
    public <T> T options(Class<T> type) {
      return HttpJson.convert(options == null ? HttpJson.MAPPER.createObjectNode() : options, type, where + "options");
    }
  }
}
