package dev.nightjar.settlement.batch;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.web.Pages;
import dev.nightjar.contracts.contract.ListObject;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.settlement.reconcile.Outcome;
import dev.nightjar.settlement.reconcile.ReconciliationRow;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operator's settlement API: run the cut-off now, list and read batches, read a batch's reconciliation (JSON or CSV). */
@RestController
class BatchController {

    static final String CUTOFFS = "/internal/v1/cutoffs";
    static final String BATCHES = "/internal/v1/batches";
    private static final Duration CUTOFF_LOCK_WAIT = Duration.ofSeconds(30);
    private static final String EXCEPTIONS = "exceptions";

    private final SettlementRun run;
    private final BatchRepository batches;

    BatchController(SettlementRun run, BatchRepository batches) {
        this.run = run;
        this.batches = batches;
    }

    /** Cuts off now: batches what was booked until this instant and takes every unfinished batch as far as it goes. */
    @PostMapping(CUTOFFS)
    SettlementRun.CutoffResult cutoff() {
        return run.cutoff(Instant.now(), CUTOFF_LOCK_WAIT);
    }

    @GetMapping(BATCHES)
    ListObject<Batch> list(@RequestParam(name = "limit", required = false) String limit,
                           @RequestParam(name = "starting_after", required = false) String startingAfter) {
        int size = Pages.limit(limit);
        List<Batch> page = batches.list(Pages.cursor(startingAfter, Ids.SETTLEMENT_BATCH), size + 1);
        return ListObject.of(page.subList(0, Math.min(size, page.size())), page.size() > size);
    }

    @GetMapping(BATCHES + "/{id}")
    Batch get(@PathVariable String id) {
        return batch(id);
    }

    /** A batch's reconciliation as JSON. */
    record Reconciliation(String batchId, String acquirer, String currency, BatchStep step, List<ReconciliationRow> rows) {
    }

    /**
     * One row per item or report line, in line order; {@code outcome} keeps one kind (or {@code exceptions}:
     * every kind but matched). Empty until the batch is reconciled.
     */
    @GetMapping(BATCHES + "/{id}/reconciliation")
    Reconciliation reconciliation(@PathVariable String id, @RequestParam(name = "outcome", required = false) String outcome,
                                  @RequestParam(name = "format", required = false) String format) {
        if (format != null && !"json".equals(format)) {
            throw ApiException.invalidParameter("format", "format must be json or csv.");
        }
        Batch batch = batch(id);
        List<ReconciliationRow> rows = new ArrayList<>();
        batches.forEachRow(batch.id(), only(outcome), EXCEPTIONS.equals(outcome), rows::add);
        return new Reconciliation(batch.id(), batch.acquirer(), batch.currency(), batch.step(), rows);
    }

    static final String CSV_HEADER = "line_no,outcome,reference,payment_id,merchant_id,operation,network_reference,currency,"
            + "expected_amount_minor,reported_amount_minor,expected_fee_minor,reported_fee_minor,merchant_fee_minor,action";

    /** The same rows as CSV (a header row, then one row per line), written as they are read. */
    @GetMapping(value = BATCHES + "/{id}/reconciliation", params = "format=csv")
    void reconciliationCsv(@PathVariable String id, @RequestParam(name = "outcome", required = false) String outcome,
                           HttpServletResponse response) throws IOException {
        Batch batch = batch(id);
        Outcome only = only(outcome);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + batch.id() + "-reconciliation.csv\"");
        PrintWriter out = response.getWriter();
        out.print(CSV_HEADER + "\r\n");
        try {
            batches.forEachRow(batch.id(), only, EXCEPTIONS.equals(outcome), row -> out.print(csv(row, batch.currency())));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.flush();
    }

    static String csv(ReconciliationRow row, String currency) {
        StringBuilder line = new StringBuilder(160);
        Object[] cells = {row.lineNo(), row.outcome().wireName(), row.reference(), row.paymentId(), row.merchantId(),
            row.operation(), row.networkReference(), currency, row.expectedAmountMinor(), row.reportedAmountMinor(),
            row.expectedFeeMinor(), row.reportedFeeMinor(), row.merchantFeeMinor(), row.action()};
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells[i]));
        }
        return line.append("\r\n").toString();
    }

    /** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private Batch batch(String id) {
        return batches.find(id).orElseThrow(() -> ApiException.notFound("settlement batch", id));
    }

    private static Outcome only(String outcome) {
        if (outcome == null || outcome.isEmpty() || EXCEPTIONS.equals(outcome)) {
            return null;
        }
        try {
            return Outcome.of(outcome);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParameter("outcome", "outcome must be exceptions, matched, missing_at_acquirer, "
                    + "missing_in_nightjar, amount_mismatch or fee_mismatch.");
        }
    }
}
