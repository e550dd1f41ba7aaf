package io.pointdata.udf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGTERM or SIGINT instead of the JVM's own shutdown, which would end the
 * process with status 143 (or 130) however cleanly it stopped: a service manager then marks every
 * ordinary stop as a failure. The action runs on a thread of its own; the caller decides the exit
 * status once it is done.
 */
final class StopSignals {
  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {}

  /**
   * Returns false if the signals cannot be handled here (e.g. {@code -Xrs}): then use a shutdown
   * hook.
   */
  @SuppressWarnings("removal")
  static boolean onStop(Runnable action) {
    Runnable once =
        new Runnable() {
          private boolean ran;

          @Override
          public synchronized void run() {
            if (ran) return;
            ran = true;
            Thread stopper =
                new Thread(
                    () -> {
                      try {
                        action.run();
                      } catch (Throwable e) {
                        log.error("stopping failed", e);
                        System.exit(1);
                      }
                    },
                    "udf-stop");
            stopper.start();
          }
        };
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> once.run());
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> once.run());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      log.debug("cannot handle stop signals: {}", e.getMessage());
      return false;
    }
  }
}
