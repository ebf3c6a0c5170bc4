package dev.nightjar.transaction.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.PaymentRetryEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.transaction.domain.Effect;
import dev.nightjar.transaction.domain.PaymentCommand;
import dev.nightjar.transaction.domain.PaymentStateMachine;
import dev.nightjar.transaction.domain.Transition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inquiries about payments whose outcome is unknown leave through the outbox of the payment's shard: the
 * first in the statement that makes the payment pending, the later ones on their own; none for a change
 * that did not commit.
 */
class PaymentInquiriesTest {

    private static Shards shards;
    private final PaymentRepository repository = TestShards.repository(shards);

    @BeforeAll
    static void shard() {
        shards = TestShards.open("transaction_inquiries");
    }

    @AfterAll
    static void close() {
        shards.close();
    }

    @Test
    void thePendingStateAndItsFirstInquiryCommitTogether() {
        Transition admitted = TestPayments.admitted("mer_inquiries_1", 1999, RiskDecision.ALLOW, 5);
        repository.insert(admitted);
        Transition pending = PaymentStateMachine.apply(admitted.payment(), unknown());

        assertThat(repository.update(pending, admitted.payment().version())).isTrue();

        assertThat(inquiries(admitted.payment().id())).singleElement().satisfies(inquiry -> {
            assertThat(inquiry.attempt()).isEqualTo(1);
            assertThat(inquiry.operation()).isEqualTo("authorize");
            assertThat(inquiry.merchantId()).isEqualTo("mer_inquiries_1");
            assertThat(inquiry.notBefore()).isEqualTo(pending.payment().updatedAt().plusSeconds(2));
        });
    }

    @Test
    void aPendingChangeThatLostTheRaceQueuesNoInquiry() {
        Transition admitted = TestPayments.admitted("mer_inquiries_2", 1999, RiskDecision.ALLOW, 5);
        repository.insert(admitted);
        Transition pending = PaymentStateMachine.apply(admitted.payment(), unknown());

        assertThat(repository.update(pending, admitted.payment().version() + 7)).isFalse();

        assertThat(inquiries(admitted.payment().id())).isEmpty();
    }

    @Test
    void laterInquiriesAndPutBacksLeaveThroughTheOutboxToo() {
        Transition admitted = TestPayments.admitted("mer_inquiries_3", 1999, RiskDecision.ALLOW, 5);
        repository.insert(admitted);
        Instant from = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        repository.queue(admitted.payment(), new Effect.Inquire(3), from);
        PaymentRetryEvent third = inquiries(admitted.payment().id()).getFirst();
        repository.requeue(third, from.plusSeconds(60));

        assertThat(inquiries(admitted.payment().id())).extracting(PaymentRetryEvent::attempt, PaymentRetryEvent::notBefore)
                .containsExactly(tuple(3, from.plusSeconds(8)),
                        tuple(3, from.plusSeconds(60)));
    }

    /** The inquiries about one payment waiting in its shard's outbox, oldest first. */
    private static List<PaymentRetryEvent> inquiries(String paymentId) {
        return shards.all().stream()
                .flatMap(shard -> shard.jdbc().sql("SELECT payload FROM outbox WHERE topic = :topic ORDER BY id")
                        .param("topic", Topics.PAYMENT_RETRIES.name()).query(byte[].class).list().stream())
                .map(payload -> EventCodec.decode(Topics.PAYMENT_RETRIES, payload).payload())
                .filter(retry -> retry.paymentId().equals(paymentId))
                .toList();
    }

    private static PaymentCommand.ApplyAuthorization unknown() {
        return new PaymentCommand.ApplyAuthorization(PaymentCommand.ApplyAuthorization.Outcome.UNKNOWN, null, null, null,
                null, false, Instant.now());
    }
}
