package db.migration;

import dev.nightjar.common.db.SharedSqlMigration;

/** The transactional outbox, shared from common-lib. */
public class V2__Outbox extends SharedSqlMigration {

    public V2__Outbox() {
        super(SharedSqlMigration.OUTBOX);
    }
}
