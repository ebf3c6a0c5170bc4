package dev.nightjar.settlement.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.settlement.reconcile.Outcome;
import dev.nightjar.settlement.reconcile.ReconciliationRow;
import org.junit.jupiter.api.Test;

class BatchControllerTest {

    @Test
    void csvCellsWithCommasQuotesOrLineBreaksAreQuotedAndEmptyCellsStayEmpty() {
        ReconciliationRow row = new ReconciliationRow(3, Outcome.MISSING_IN_NIGHTJAR, "acq_1", null, "mer_\"a\"", "capture",
                "nw,1", null, 900L, null, 8L, null, "Find it,\nthen explain it.");
        assertThat(BatchController.csv(row, "EUR"))
                .isEqualTo("3,missing_in_nightjar,acq_1,,\"mer_\"\"a\"\"\",capture,\"nw,1\",EUR,,900,,8,,\"Find it,\nthen explain it.\"\r\n");
        assertThat(BatchController.CSV_HEADER.split(",")).hasSize(14);
    }
}
