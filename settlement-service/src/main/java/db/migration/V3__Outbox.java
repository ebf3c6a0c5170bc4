package db.migration;

import dev.nightjar.common.db.SharedSqlMigration;

/** The transactional outbox, shared from common-lib: settlement events leave with the batch step that posts them. */
public class V3__Outbox extends SharedSqlMigration {

    public V3__Outbox() {
        super(SharedSqlMigration.OUTBOX);
    }
}
