package db.migration;

import dev.nightjar.common.db.SharedSqlMigration;

/** The hash-chained audit log of every detokenization and key operation, shared from common-lib. */
public class V2__Audit_log extends SharedSqlMigration {

    public V2__Audit_log() {
        super(SharedSqlMigration.AUDIT_LOG);
    }
}
