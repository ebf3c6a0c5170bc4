package db.migration;

import dev.nightjar.common.ledger.ChainHash;
import dev.nightjar.ledger.journal.Journal;
import dev.nightjar.ledger.journal.JournalEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Places entries written before the hash chain existed into it, oldest first, and starts the chain head:
 * the chain then covers every entry of the shard.
 */
public class V4__Chain_existing_entries extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        List<JournalEntry> entries = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT id, created_at, merchant_id, kind, payment_id, source_event_id, description, acquirer,
                            authorization_reference, currency, amount_minor, fee_minor, posting_accounts,
                            posting_currencies, posting_amounts, 0 AS sequence, NULL::bytea AS previous_hash,
                            NULL::bytea AS entry_hash
                     FROM journal_entries ORDER BY created_at, id""")) {
            int row = 0;
            while (rs.next()) {
                entries.add(Journal.ROW.mapRow(rs, row++));
            }
        }
        long sequence = 0;
        String hash = ChainHash.GENESIS;
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE journal_entries SET sequence = ?, previous_hash = ?, entry_hash = ?
                WHERE id = ? AND created_at = ?""")) {
            for (JournalEntry entry : entries) {
                sequence++;
                String next = ChainHash.of(hash, sequence, entry);
                update.setLong(1, sequence);
                update.setBytes(2, ChainHash.bytes(hash));
                update.setBytes(3, ChainHash.bytes(next));
                update.setString(4, entry.id());
                update.setTimestamp(5, java.sql.Timestamp.from(entry.createdAt()));
                update.addBatch();
                hash = next;
            }
            update.executeBatch();
        }
        try (PreparedStatement head = connection.prepareStatement(
                "INSERT INTO ledger_chain (singleton, last_sequence, last_hash) VALUES (true, ?, ?)")) {
            head.setLong(1, sequence);
            head.setBytes(2, ChainHash.bytes(hash));
            head.executeUpdate();
        }
    }
}
