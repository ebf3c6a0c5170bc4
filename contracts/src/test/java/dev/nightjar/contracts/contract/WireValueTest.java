package dev.nightjar.contracts.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireValueTest {

    private static final List<Class<? extends WireValue>> VOCABULARIES = List.of(AcquirerOutcome.class,
            NetworkAnswer.class, PaymentStatus.class, RefundStatus.class, RiskDecision.class, EventType.class);

    @Test
    void everyValueIsWrittenAndReadByItsWireName() {
        for (Class<? extends WireValue> type : VOCABULARIES) {
            for (WireValue value : type.getEnumConstants()) {
                String json = Json.MAPPER.writeValueAsString(value);
                assertThat(json).as(type.getSimpleName() + "." + value).isEqualTo("\"" + value.wire() + "\"");
                assertThat(Json.MAPPER.readValue(json, type)).isSameAs(value);
            }
        }
    }

    @Test
    void theWireNamesAreTheOnesTheServicesAlreadySpeak() {
        // unchanged on the wire, so services of the previous release read them during a rolling upgrade
        assertThat(List.of(AcquirerOutcome.values()).stream().map(AcquirerOutcome::wire))
                .containsExactly("approved", "declined", "failed", "unavailable", "unknown");
        // received is new and travels only on payment_requests and in API answers, never on payment_events, so a
        // consumer of the previous release never meets it
        assertThat(List.of(PaymentStatus.values()).stream().map(PaymentStatus::wire)).containsExactly("received", "pending",
                "authorized", "captured", "settled", "declined", "requires_review", "canceled", "refunded", "failed");
        assertThat(RefundStatus.SUCCEEDED.wire()).isEqualTo("succeeded");
        assertThat(RiskDecision.REVIEW.wire()).isEqualTo("review");
        assertThat(EventType.PAYMENT_SETTLED.wire()).isEqualTo("payment.settled");
    }

    @Test
    void aContractRecordCarriesItsOutcomeAsTheWireName() {
        String json = Json.MAPPER.writeValueAsString(new AuthContract.OperationResponse(AcquirerOutcome.NOT_SENT, null,
                "acquirer-a", null));
        assertThat(json).contains("\"outcome\":\"unavailable\"");
        assertThat(Json.MAPPER.readValue(json, AuthContract.OperationResponse.class).outcome())
                .isEqualTo(AcquirerOutcome.NOT_SENT);
    }

    @Test
    void anUnknownNameIsRefusedNamingTheVocabulary() {
        assertThatThrownBy(() -> PaymentStatus.of("SETTLED")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"SETTLED\" is not a PaymentStatus").hasMessageContaining("settled");
        assertThat(EventType.of("authorize.approved")).isEmpty();
        assertThat(EventType.of("payment.captured")).contains(EventType.PAYMENT_CAPTURED);
        assertThat(AcquirerOutcome.NOT_SENT.nothingMoved()).isTrue();
        assertThat(AcquirerOutcome.UNKNOWN.nothingMoved()).isFalse();
    }
}
