package dev.nightjar.common.shard;

import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** One shard database with its pool, JDBC client and transaction template. */
public record Shard(int index, DataSource dataSource, JdbcClient jdbc, TransactionTemplate transactions) {
}
