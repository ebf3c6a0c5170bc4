package dev.nightjar.transaction.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.testsupport.PreparedPlans;
import dev.nightjar.transaction.domain.PaymentCommand;
import dev.nightjar.transaction.domain.PaymentCommand.ApplyAuthorization.Outcome;
import dev.nightjar.transaction.domain.PaymentStateMachine;
import dev.nightjar.transaction.domain.Transition;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A payment's outcome is written by one statement prepared once per connection, whichever outcomes follow one
 * another: an approval binds an authorization code and no decline code, a decline the reverse, and an untyped
 * null made the driver prepare the statement again at every such change.
 */
class PreparedOnceTest {

    private static final int PAYMENTS = 30;

    private static Shards shards;
    private final PaymentRepository repository = TestShards.repository(shards);

    @BeforeAll
    static void shard() {
        // one connection, so that every statement below runs on the connection read afterwards
        shards = TestShards.open("transaction_prepared_once", 1);
    }

    @AfterAll
    static void close() {
        shards.close();
    }

    @Test
    void approvalsAndDeclinesInTurnRunTheOnePreparedUpdate() {
        for (int i = 0; i < PAYMENTS; i++) {
            Transition admitted = TestPayments.admitted("mer_prepared_once", 1999, RiskDecision.ALLOW, 5);
            repository.insert(admitted);
            PaymentCommand outcome = i % 2 == 0
                    ? new PaymentCommand.ApplyAuthorization(Outcome.APPROVED, "acquirer-a", "nw_1", "123456", null, true, Instant.now())
                    : new PaymentCommand.ApplyAuthorization(Outcome.DECLINED, "acquirer-a", "nw_2", null, "do_not_honor", false, Instant.now());
            assertThat(repository.update(PaymentStateMachine.apply(admitted.payment(), outcome), admitted.payment().version()))
                    .isTrue();
        }

        PreparedPlans.Plans plans = PreparedPlans.containing(shards.get(0).dataSource(), "UPDATE payments SET status");
        // the driver prepares a statement on the server from its fifth execution on a connection
        assertThat(plans.generic() + plans.custom()).as("executions of the update prepared on the server, of %d", PAYMENTS)
                .isGreaterThanOrEqualTo(PAYMENTS - 4);
    }
}
