/**
 * How Spool runs the speech recognisers: not part of its API, and free to change. Use
 * {@link io.spool.transcribe.Transcriber} and {@link io.spool.transcribe.TranscribeJob}.
 */
package io.spool.transcribe.internal;
