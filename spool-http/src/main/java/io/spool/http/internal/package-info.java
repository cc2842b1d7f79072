/**
 * The HTTP API's routes, request parsing, uploads and webhook delivery. Not public API; use
 * {@link io.spool.http.SpoolServer}.
 */
package io.spool.http.internal;
