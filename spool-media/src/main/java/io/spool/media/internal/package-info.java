/**
 * Implementation details of Spool's media layer. Nothing here is public API: it may change in any
 * release. Use the types in {@code io.spool.media}.
 */
package io.spool.media.internal;
