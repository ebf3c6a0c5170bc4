package dev.nightjar.transaction.payment;

import dev.nightjar.transaction.domain.Payment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The statuses merchants can see are exactly those docs/openapi.json documents, in the payment and in the list filter. */
class PaymentStatusContractTest {

    private static final Path OPENAPI = Path.of("..", "docs", "openapi.json");

    @Test
    @SuppressWarnings("unchecked")
    void everyStatusMerchantsSeeIsTheDocumentsPaymentStatusAndListFilter() {
        Map<String, Object> document = Json.MAPPER.readValue(OPENAPI.toFile(), Map.class);
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
        Map<String, Object> payment = (Map<String, Object>) ((Map<String, Object>) schemas.get("Payment")).get("properties");
        List<String> documented = (List<String>) ((Map<String, Object>) payment.get("status")).get("enum");
        assertThat(documented).containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(dev.nightjar.contracts.contract.PaymentStatus.values()).map(dev.nightjar.contracts.contract.PaymentStatus::wire).toList());

        Map<String, Object> list = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) document.get("paths"))
                .get("/v1/payments")).get("get");
        Map<String, Object> filter = ((List<Map<String, Object>>) list.get("parameters")).stream()
                .filter(parameter -> "status".equals(parameter.get("name"))).findFirst().orElseThrow();
        assertThat(filter).containsEntry("in", "query");
        assertThat((List<String>) ((Map<String, Object>) filter.get("schema")).get("enum"))
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(dev.nightjar.contracts.contract.PaymentStatus.values()).map(dev.nightjar.contracts.contract.PaymentStatus::wire).toList());
    }
}
