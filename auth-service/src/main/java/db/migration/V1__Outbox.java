package db.migration;

import dev.nightjar.common.db.SharedSqlMigration;

/** The transactional outbox, shared from common-lib. */
public class V1__Outbox extends SharedSqlMigration {

    public V1__Outbox() {
        super(SharedSqlMigration.OUTBOX);
    }
}
