package db.migration;

import dev.nightjar.common.db.SharedSqlMigration;

/** Consumer-side deduplication of events (settlement_events), shared from common-lib. */
public class V7__Processed_events extends SharedSqlMigration {

    public V7__Processed_events() {
        super(SharedSqlMigration.PROCESSED_EVENTS);
    }
}
