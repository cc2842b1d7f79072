package io.spool.engine.internal.store;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Flyway's log, named to Flyway by class: its warnings and errors go to Spool's log, its progress
 * to debug, so that a migration is silent and starts no logging unless something is wrong.
 */
public final class FlywayLog implements LogCreator {
  @Override
  public Log createLogger(Class<?> type) {
    return new Log() {
      @Override
      public void debug(String message) {
        org.slf4j.Logger log = logger();
        if (log.isDebugEnabled()) {
          log.debug(message);
        }
      }

      @Override
      public void info(String message) {
        debug(message);
      }

      @Override
      public void notice(String message) {
        debug(message);
      }

      @Override
      public void warn(String message) {
        logger().warn(message);
      }

      @Override
      public void error(String message) {
        logger().error(message);
      }

      @Override
      public void error(String message, Exception e) {
        logger().error(message, e);
      }

      private org.slf4j.Logger logger() {
        return org.slf4j.LoggerFactory.getLogger(type);
      }
    };
  }
}
