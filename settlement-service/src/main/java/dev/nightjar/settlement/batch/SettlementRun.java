package dev.nightjar.settlement.batch;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.outbox.OutboxRelay;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchLine;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReport;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReportLine;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.settlement.acquirer.AcquirerGateway;
import dev.nightjar.settlement.item.SettlementItem;
import dev.nightjar.settlement.reconcile.Posting;
import dev.nightjar.settlement.reconcile.Reconciliation;
import dev.nightjar.settlement.reconcile.ReconciliationRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs settlement: at a cut-off, gathers the items booked before it into batches, then takes every
 * unfinished batch through its steps (submit, fetch the report, reconcile, post, done), each step committed
 * on its own so a failure or a crash anywhere leaves the batch at a step the next run resumes from. One run
 * at a time in this process; across replicas the gather lock and the guarded step changes keep it single.
 */
public final class SettlementRun {

    private static final Logger log = LoggerFactory.getLogger(SettlementRun.class);
    private static final Duration PUBLISH_POLL = Duration.ofMillis(20);

    private final BatchRepository batches;
    private final AcquirerGateway acquirers;
    private final SettlementProperties properties;
    private final StepFailures failures;
    private final SettlementMetrics metrics;
    private final OutboxRelay relay;
    private final ReentrantLock running = new ReentrantLock();

    public SettlementRun(BatchRepository batches, AcquirerGateway acquirers, SettlementProperties properties,
                         StepFailures failures, SettlementMetrics metrics, OutboxRelay relay) {
        this.batches = batches;
        this.acquirers = acquirers;
        this.properties = properties;
        this.failures = failures;
        this.metrics = metrics;
        this.relay = relay;
    }

    /** What a cut-off did: the batches it created and every batch it took a step further, as they stand now. */
    public record CutoffResult(Instant cutoffAt, List<String> created, List<Batch> batches) {
    }

    /** Runs the cut-off at {@code cutoffAt}, waiting up to {@code wait} for a run already under way. */
    public CutoffResult cutoff(Instant cutoffAt, Duration wait) {
        lock(wait);
        try {
            List<String> created = batches.gather(cutoffAt, properties.maxBatchLines());
            if (!created.isEmpty()) {
                log.info("cut-off at {}: {} new settlement batches", cutoffAt, created.size());
            }
            Set<String> touched = new LinkedHashSet<>(created);
            touched.addAll(advanceUnfinished());
            List<Batch> now = new ArrayList<>();
            touched.forEach(id -> batches.find(id).ifPresent(now::add));
            return new CutoffResult(cutoffAt, created, now);
        } finally {
            running.unlock();
        }
    }

    /** Takes every unfinished batch as far as it goes now; does nothing while another run is under way. */
    public void resume() {
        if (!running.tryLock()) {
            return;
        }
        try {
            advanceUnfinished();
        } finally {
            running.unlock();
        }
    }

    private void lock(Duration wait) {
        try {
            if (!running.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ApiException(409, ApiError.of(ErrorType.INVALID_REQUEST, "cutoff_in_progress",
                        "A settlement run is under way; try again when it has finished."));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted waiting for the settlement run under way");
        }
    }

    private List<String> advanceUnfinished() {
        List<String> unfinished = batches.unfinished();
        unfinished.forEach(this::advance);
        return unfinished;
    }

    /** Takes one batch step by step until it is done, has to wait, or a step fails (noted on the batch). */
    private void advance(String batchId) {
        try {
            Batch batch = batches.find(batchId).orElseThrow();
            while (batch.step() != BatchStep.DONE) {
                long started = System.nanoTime();
                if (!step(batch)) {
                    return;
                }
                Batch after = batches.find(batchId).orElseThrow();
                log.info("settlement batch {} ({} items): {} in {} ms", batchId, after.itemCount(), after.step().wireName(),
                        (System.nanoTime() - started) / 1_000_000);
                failures.afterStep(batchId, after.step());
                batch = after;
            }
        } catch (RuntimeException e) {
            metrics.failed();
            batches.recordFailure(batchId, e.getMessage());
            log.warn("settlement batch {} could not go further, it will be resumed: {}", batchId, e.getMessage());
        }
    }

    /** Does the batch's next step; false when it must wait for something outside this run. */
    private boolean step(Batch batch) {
        switch (batch.step()) {
            case CREATED -> submit(batch);
            case SUBMITTED -> fetchReport(batch);
            case REPORTED -> reconcile(batch);
            case RECONCILED -> post(batch);
            case POSTED -> {
                return finish(batch);
            }
            case DONE -> throw new IllegalStateException("batch " + batch.id() + " is already done");
        }
        return true;
    }

    private void submit(Batch batch) {
        List<SettlementBatchLine> lines = new ArrayList<>(batch.itemCount());
        for (SettlementItem item : batches.items(batch.id())) {
            lines.add(new SettlementBatchLine(item.entryId(), item.paymentId(), item.merchantId(),
                    item.authorizationReference(), item.operation(), item.amountMinor()));
        }
        acquirers.submit(batch.acquirer(), new SettlementBatchRequest(batch.id(), batch.currency(), lines));
        batches.markSubmitted(batch.id());
    }

    private void fetchReport(Batch batch) {
        SettlementReport report = acquirers.report(batch.acquirer(), batch.id());
        List<SettlementReportLine> lines = report.lines() == null ? List.of() : report.lines();
        // a report may carry lines the acquirer added, but not without bound
        if (!batch.id().equals(report.batchId()) || !batch.currency().equals(report.currency())
                || lines.size() > 2 * properties.maxBatchLines()
                || lines.stream().anyMatch(line -> line == null || line.reference() == null)) {
            throw new IllegalStateException(batch.acquirer() + " sent a report for " + report.batchId() + " in "
                    + report.currency() + " that is not the report of batch " + batch.id() + " in " + batch.currency()
                    + ", or has too many lines or lines without a reference");
        }
        batches.storeReport(batch.id(), lines);
    }

    private void reconcile(Batch batch) {
        List<ReconciliationRow> rows = Reconciliation.reconcile(batches.items(batch.id()), batches.reportLines(batch.id()),
                properties.feeBasisPoints(batch.acquirer()));
        if (batches.storeReconciliation(batch.id(), rows)) {
            metrics.reconciled(BatchRepository.count(rows));
        }
    }

    private void post(Batch batch) {
        List<EventEnvelope<SettlementEvent>> events = new ArrayList<>();
        Posting.BatchOf of = new Posting.BatchOf(batch.id(), batch.acquirer(), batch.currency(), batch.settlementDate());
        for (Posting.Event event : Posting.events(of, batches.reconciliation(batch.id()))) {
            events.add(EventCodec.envelope(event.type(), event.payload().merchantId(), event.payload(), null));
        }
        batches.post(batch.id(), events);
    }

    /** Done once the batch's events have left the outbox; helps the relay along for a while, then leaves it posted. */
    private boolean finish(Batch batch) {
        Instant deadline = Instant.now().plus(properties.publishWait());
        while (!batches.eventsPublished(batch.id())) {
            if (Instant.now().isAfter(deadline)) {
                log.info("settlement batch {} posted; its events are still in the outbox", batch.id());
                return false;
            }
            if (relay.publishBatch() == 0) {
                try {
                    Thread.sleep(PUBLISH_POLL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        if (batches.finish(batch.id())) {
            batches.find(batch.id()).ifPresent(metrics::done);
        }
        return true;
    }
}
