package db.migration;

import dev.nightjar.common.db.SharedSqlMigration;

/** The monthly partition function, shared from common-lib. */
public class V1__Monthly_partitions extends SharedSqlMigration {

    public V1__Monthly_partitions() {
        super(SharedSqlMigration.MONTHLY_PARTITIONS);
    }
}
