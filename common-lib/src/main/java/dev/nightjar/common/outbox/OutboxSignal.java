package dev.nightjar.common.outbox;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells one database's {@link OutboxRelay} that rows were committed to its outbox, so they leave at once
 * instead of at the relay's next poll, and the relay need not poll an empty outbox while nothing is written.
 * Writers call {@link #written()} after the statement that appended the rows; the relay waits on it.
 */
public final class OutboxSignal {

    private final Semaphore raised = new Semaphore(0);

    /**
     * Call after appending rows to the outbox. Inside a Spring-managed transaction the relay is woken when it
     * commits (a rolled-back transaction wakes nothing); outside one the statement has committed, so it is woken
     * now.
     */
    public void written() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    raise();
                }
            });
        } else {
            raise();
        }
    }

    /** Whether a wake-up is pending: rows committed since the relay last looked. */
    public boolean isRaised() {
        return raised.availablePermits() > 0;
    }

    void raise() {
        // One pending wake-up stands for any number of commits: the relay reads everything there is.
        if (raised.availablePermits() == 0) {
            raised.release();
        }
    }

    /** Waits until raised or {@code timeout} passes, and clears it; true when it was raised. */
    boolean await(Duration timeout) throws InterruptedException {
        boolean woken = raised.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        raised.drainPermits();
        return woken;
    }
}
