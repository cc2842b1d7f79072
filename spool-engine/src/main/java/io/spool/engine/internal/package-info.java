/**
 * Implementation of the engine: Temporal workflow and activity classes, their payloads and
 * options. Not public API; use {@link io.spool.engine.SpoolEngine} and the types beside it.
 */
package io.spool.engine.internal;
