package dev.nightjar.common.lifecycle;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Work a service does once at start, after its beans are ready and before its web server opens its port, so no
 * request meets a cost that could have been paid while nobody was waiting.
 */
public abstract class BeforeFirstRequest implements SmartLifecycle {

    private volatile boolean running;

    /** The work; it must not fail the start, only log what it could not do. */
    protected abstract void prepare();

    /** Ends whatever {@link #prepare()} left running in the background, at the service's stop; nothing by default. */
    protected void halt() {
    }

    @Override
    public final void start() {
        prepare();
        running = true;
    }

    @Override
    public final void stop() {
        halt();
        running = false;
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    /** Just before the web server's own phase. */
    @Override
    public final int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }
}
