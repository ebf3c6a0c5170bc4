package dev.nightjar.platform.chaos;

import java.time.Duration;

/**
 * One fault the chaos run injects under load: what it breaks ({@link #inject}), for how long it is left
 * broken, and how the platform is brought back ({@link #heal}, which returns when the broken part is back).
 *
 * @param name    what the table calls it
 * @param promise what Nightjar promises while it lasts
 * @param hold    how long the fault stays in place before it is healed
 */
record Fault(String name, String promise, Duration hold, Action inject, Action heal) {

    /** A step of a fault; may wait, may fail. */
    interface Action {
        void run() throws Exception;
    }
}
