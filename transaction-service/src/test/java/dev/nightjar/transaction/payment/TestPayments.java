package dev.nightjar.transaction.payment;

import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.transaction.domain.CaptureMethod;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentState;
import dev.nightjar.transaction.domain.PaymentStateMachine;
import dev.nightjar.transaction.domain.Transition;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** New payments as PaymentService receives them, for tests that store them or send them on. */
final class TestPayments {

    private TestPayments() {
    }

    /** A new automatic-capture card payment, not yet assessed: status AUTHORIZING, version 0. */
    static Payment received(String merchantId, long amountMinor) {
        String id = Ids.newId(Ids.PAYMENT);
        Instant created = Ids.timestampOf(id);
        return new Payment(id, merchantId, PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, amountMinor, "EUR",
                0, 0, 0, 0, "tok_01JD000000000000000000000", new CardDetails("visa", "424242", "4242", 12, 2030, "fp"),
                null, null, null, "order-1", null, Map.of(), null, null, created, created, 0);
    }

    /** The same, admitted under a risk verdict of {@code decision} with {@code score}. */
    static Transition admitted(String merchantId, long amountMinor, RiskDecision decision, int score) {
        return PaymentStateMachine.admit(received(merchantId, amountMinor)
                .withRisk(new Payment.Risk(score, decision, List.of(), false)));
    }
}
