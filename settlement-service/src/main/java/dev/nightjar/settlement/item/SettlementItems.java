package dev.nightjar.settlement.item;

import dev.nightjar.common.jdbc.SqlArrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The money movements waiting for settlement, recorded once per ledger entry. */
public final class SettlementItems {

    private final JdbcClient jdbc;

    public SettlementItems(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records {@code items} in one statement (one transaction); an entry id already recorded changes nothing,
     * so a redelivered entry is recorded once. Returns how many were new.
     */
    public int record(List<SettlementItem> items) {
        Map<String, SettlementItem> unique = new LinkedHashMap<>();
        items.forEach(item -> unique.putIfAbsent(item.entryId(), item));
        if (unique.isEmpty()) {
            return 0;
        }
        List<SettlementItem> rows = List.copyOf(unique.values());
        return jdbc.sql("""
                        INSERT INTO settlement_items (entry_id, payment_id, merchant_id, acquirer, operation, amount_minor,
                                                      fee_minor, currency, authorization_reference, booked_at)
                        SELECT * FROM unnest(CAST(:entries AS text[]), CAST(:payments AS text[]), CAST(:merchants AS text[]),
                                             CAST(:acquirers AS text[]), CAST(:operations AS text[]),
                                             CAST(:amounts AS bigint[]), CAST(:fees AS bigint[]),
                                             CAST(:currencies AS text[]), CAST(:authorizations AS text[]),
                                             CAST(:bookedAt AS timestamptz[]))
                        ON CONFLICT (entry_id) DO NOTHING""")
                .param("entries", SqlArrays.text(rows, SettlementItem::entryId))
                .param("payments", SqlArrays.text(rows, SettlementItem::paymentId))
                .param("merchants", SqlArrays.text(rows, SettlementItem::merchantId))
                .param("acquirers", SqlArrays.text(rows, SettlementItem::acquirer))
                .param("operations", SqlArrays.text(rows, SettlementItem::operation))
                .param("amounts", SqlArrays.bigint(rows, SettlementItem::amountMinor))
                .param("fees", SqlArrays.bigint(rows, SettlementItem::feeMinor))
                .param("currencies", SqlArrays.text(rows, SettlementItem::currency))
                .param("authorizations", SqlArrays.text(rows, SettlementItem::authorizationReference))
                .param("bookedAt", SqlArrays.text(rows, item -> item.bookedAt().toString()))
                .update();
    }

    /** Unbatched totals per acquirer and currency. */
    public record Pending(String acquirer, String currency, long items, long amountMinor) {
    }

    /**
     * Unbatched items per acquirer and currency, with their signed total (captures less refunds): every merchant's,
     * or only {@code merchantId}'s when it is not null.
     */
    public List<Pending> pending(String merchantId) {
        return jdbc.sql("""
                        SELECT acquirer, currency, count(*),
                               sum(CASE operation WHEN 'refund' THEN -amount_minor ELSE amount_minor END)
                        FROM settlement_items
                        WHERE batch_id IS NULL AND (CAST(:merchant AS text) IS NULL OR merchant_id = :merchant)
                        GROUP BY acquirer, currency ORDER BY acquirer, currency""")
                .param("merchant", merchantId)
                .query((rs, n) -> new Pending(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                .list();
    }
}
