/**
 * {@code spool serve}: Spool's HTTP API over the engine. {@link io.spool.http.SpoolServer} is the
 * server, {@link io.spool.http.ApiTokens} who may use it, {@link io.spool.http.HttpStatuses} how
 * failures become statuses. The routes themselves live in {@code io.spool.http.internal}.
 */
package io.spool.http;
