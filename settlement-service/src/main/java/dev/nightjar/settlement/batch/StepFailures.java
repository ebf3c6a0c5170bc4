package dev.nightjar.settlement.batch;

/**
 * A test hook: makes a run fail right after a batch reaches a named step, as a crash there would, so tests
 * prove the batch resumes without duplicates. Off unless {@code nightjar.settlement.fail-after-step} names a
 * step or a test sets one.
 */
public final class StepFailures {

    private volatile BatchStep failAfter;

    public StepFailures(BatchStep failAfter) {
        this.failAfter = failAfter;
    }

    /** Fails every run after {@code step} from now on; null stops failing. */
    public void failAfter(BatchStep step) {
        this.failAfter = step;
    }

    void afterStep(String batchId, BatchStep reached) {
        if (reached == failAfter) {
            throw new InjectedFailure("injected failure after batch " + batchId + " reached " + reached.wireName());
        }
    }

    /** The failure the hook throws. */
    static final class InjectedFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
