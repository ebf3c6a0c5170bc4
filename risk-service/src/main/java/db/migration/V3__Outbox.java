package db.migration;

import dev.nightjar.common.db.SharedSqlMigration;

/** The transactional outbox (common-lib's shared SQL): risk.flagged events leave through it. */
public class V3__Outbox extends SharedSqlMigration {

    public V3__Outbox() {
        super(SharedSqlMigration.OUTBOX);
    }
}
