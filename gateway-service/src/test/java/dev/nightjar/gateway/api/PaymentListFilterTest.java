package dev.nightjar.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.gateway.contract.ApiContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statuses GET /v1/payments filters on are read from the API document: every status a payment can show. */
class PaymentListFilterTest {

    @Test
    void theListFiltersOnEveryStatusThePaymentSchemaDocumentsSettledIncluded() {
        ApiContract contract = ApiContract.load();
        List<String> paymentStatuses = new ArrayList<>();
        contract.root().path("components").path("schemas").path("Payment").path("properties").path("status").path("enum")
                .forEach(value -> paymentStatuses.add(value.asString()));

        assertThat(PaymentsController.listableStatuses(contract)).containsExactlyElementsOf(paymentStatuses).contains("settled");
    }
}
