package dev.nightjar.common.lifecycle;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks off calls that run past their time, so that the calls themselves can wait without a timeout.
 *
 * <p>A virtual thread that waits with a timeout (a socket read under {@code SO_TIMEOUT}, a timed {@code get})
 * hands the timeout to the JDK's delay scheduler, a thread of its own, and setting the timer and cancelling it
 * after the answer wake that thread: 5–10 % of a busy service's CPU, measured at load, for timeouts that almost
 * never fire. Here a call is {@linkplain #arm armed} with its time and what breaks it off (closing its
 * connection), and {@linkplain Watch#disarm disarmed} when done: an entry in a concurrent set, no thread woken.
 *
 * <p>One platform thread looks at the armed calls and parks until the earliest is due, or until the shortest
 * time any call has been given has passed, whichever is sooner: a call armed while it parks cannot be due
 * before that. Calls given a few hundred milliseconds or more, as every call of the fleet is, cost it a few
 * wake-ups a second however many there are; it parks at least {@link #TICK}, so a call is broken off at most
 * that late. With nothing armed it parks until the next arm.
 *
 * <p>One per process ({@link #shared}): one thread for every client in it, as the JDK's own scheduler is one.
 */
public final class Watchdog {

    /** The shortest the watchdog parks between looks, and so how late past its time a call may be broken off. */
    public static final Duration TICK = Duration.ofMillis(10);

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    private final Set<Watch> armed = ConcurrentHashMap.newKeySet();
    private final long tickNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong scans = new AtomicLong();
    private final AtomicLong brokenOff = new AtomicLong();
    /** The shortest time any call has been given: no call armed from now on is due sooner than that from now. */
    private final AtomicLong shortestAfterNanos = new AtomicLong(Long.MAX_VALUE);
    private final Thread thread;
    private volatile boolean idle;

    public Watchdog(String name, Duration tick, LongSupplier nanoClock) {
        this.tickNanos = tick.toNanos();
        this.nanoClock = nanoClock;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
        thread.start();
    }

    /** The process's watchdog. */
    public static Watchdog shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final Watchdog INSTANCE = new Watchdog("nightjar-watchdog", TICK, System::nanoTime);
    }

    /**
     * Arms a watch that runs {@code breakOff} (on a thread of its own) once {@code after} has passed, unless it is
     * disarmed first. {@code breakOff} must make the watched call fail soon, and must be safe to run while the
     * call is in progress or just ending.
     */
    public Watch arm(Duration after, Runnable breakOff) {
        long afterNanos = after.toNanos();
        Watch watch = new Watch(this, nanoClock.getAsLong() + afterNanos, after, breakOff);
        armed.add(watch);
        long shortestBefore = shortestAfterNanos.getAndAccumulate(afterNanos, Math::min);
        // the watchdog may be parked for longer than this call has: only the first calls this short wake it
        if (idle || afterNanos < shortestBefore) {
            LockSupport.unpark(thread);
        }
        return watch;
    }

    /** How many times the armed calls have been looked at: lets a test wait for a look without sleeping. */
    long scans() {
        return scans.get();
    }

    /** How many calls have been broken off since the start. */
    public long brokenOffCount() {
        return brokenOff.get();
    }

    /** How many calls are armed now. */
    public int armedCount() {
        return armed.size();
    }

    /** Whether the watchdog is parked (or about to park) with nothing armed. */
    boolean isIdle() {
        return idle;
    }

    private void run() {
        while (true) {
            if (armed.isEmpty()) {
                idle = true;
                // an arm() that added after this look sees idle and unparks; the permit survives until the park
                if (armed.isEmpty()) {
                    LockSupport.park(this);
                }
                idle = false;
                continue;
            }
            long untilNextNanos = look(nanoClock.getAsLong());
            scans.incrementAndGet();
            if (untilNextNanos == Long.MAX_VALUE) {
                continue; // every call looked at was due: nothing left, or only calls armed since
            }
            LockSupport.parkNanos(this, Math.max(tickNanos, Math.min(untilNextNanos, shortestAfterNanos.get())));
        }
    }

    /** Breaks off every call due at {@code now}; returns how long until the earliest of the others is due. */
    private long look(long now) {
        long untilNext = Long.MAX_VALUE;
        for (Watch watch : armed) {
            long untilDue = watch.dueNanos - now;
            if (untilDue > 0) {
                untilNext = Math.min(untilNext, untilDue);
            } else if (watch.state.compareAndSet(Watch.ARMED, Watch.FIRED)) {
                armed.remove(watch);
                brokenOff.incrementAndGet();
                // a break-off that blocks must not hold up the others
                Thread.ofVirtual().name("watchdog-break-off").start(() -> {
                    try {
                        watch.breakOff.run();
                    } catch (RuntimeException e) {
                        log.warn("breaking off a call past its {} ms failed: {}", watch.after.toMillis(), e.toString());
                    }
                });
            }
        }
        return untilNext;
    }

    /** One armed call. */
    public static final class Watch {

        private static final int ARMED = 0;
        private static final int DISARMED = 1;
        private static final int FIRED = 2;

        private final Watchdog owner;
        private final long dueNanos;
        private final Duration after;
        private final Runnable breakOff;
        private final AtomicInteger state = new AtomicInteger(ARMED);

        private Watch(Watchdog owner, long dueNanos, Duration after, Runnable breakOff) {
            this.owner = owner;
            this.dueNanos = dueNanos;
            this.after = after;
            this.breakOff = breakOff;
        }

        /** Ends the watch; false when it had already fired (the call was, or is being, broken off). */
        public boolean disarm() {
            if (state.compareAndSet(ARMED, DISARMED)) {
                owner.armed.remove(this);
                return true;
            }
            return state.get() != FIRED;
        }

        /** Whether the call's time ran out and it was broken off. */
        public boolean fired() {
            return state.get() == FIRED;
        }

        /** The time the call was given. */
        public Duration after() {
            return after;
        }
    }
}
