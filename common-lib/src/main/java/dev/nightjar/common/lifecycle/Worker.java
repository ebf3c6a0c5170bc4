package dev.nightjar.common.lifecycle;

import java.time.Duration;

/** One named background thread that runs a loop while the owning component is started. */
public final class Worker {

    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Runnable loop;
    private volatile boolean running;
    private Thread thread;

    /** @param loop runs until {@link #isRunning()} turns false or its thread is interrupted */
    public Worker(String name, Runnable loop) {
        this.name = name;
        this.loop = loop;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name(name).daemon(true).start(loop);
    }

    /** Asks the loop to end, interrupts it, and waits up to ten seconds for it. */
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(STOP_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return running;
    }
}
