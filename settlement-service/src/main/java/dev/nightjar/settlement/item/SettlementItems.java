package dev.nightjar.settlement.item;

import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.EventTypes;
import dev.nightjar.common.event.PaymentEvent;
import dev.nightjar.common.kafka.ProcessedEvents;
import java.sql.Timestamp;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The money movements waiting for settlement, recorded once per event. */
public final class SettlementItems {

    public static final String CONSUMER = "settlement-service";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public SettlementItems(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Records the batch's captures in one transaction; duplicates change nothing. Returns items added. */
    public int record(List<EventEnvelope<PaymentEvent>> events) {
        Integer added = transactions.execute(status -> {
            int count = 0;
            for (EventEnvelope<PaymentEvent> event : events) {
                if (!ProcessedEvents.firstTime(jdbc, CONSUMER, event.eventId())) {
                    continue;
                }
                PaymentEvent payment = event.payload();
                if (EventTypes.PAYMENT_CAPTURED.equals(event.type()) && payment.changeAmountMinor() > 0) {
                    count += jdbc.sql("""
                                    INSERT INTO settlement_items (source_event_id, payment_id, merchant_id, acquirer, kind,
                                                                  amount_minor, currency, occurred_at)
                                    VALUES (:event, :payment, :merchant, :acquirer, 'capture', :amount, :currency, :at)
                                    ON CONFLICT DO NOTHING""")
                            .param("event", event.eventId()).param("payment", payment.paymentId())
                            .param("merchant", payment.merchantId())
                            .param("acquirer", payment.acquirer() == null ? "unknown" : payment.acquirer())
                            .param("amount", payment.changeAmountMinor()).param("currency", payment.currency())
                            .param("at", Timestamp.from(event.occurredAt()))
                            .update();
                }
            }
            return count;
        });
        return added == null ? 0 : added;
    }

    /** Unbatched totals per acquirer and currency. */
    public record Pending(String acquirer, String currency, long items, long amountMinor) {
    }

    public List<Pending> pending() {
        return jdbc.sql("""
                        SELECT acquirer, currency, count(*), sum(amount_minor) FROM settlement_items
                        WHERE batch_id IS NULL GROUP BY acquirer, currency ORDER BY acquirer, currency""")
                .query((rs, n) -> new Pending(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                .list();
    }
}
