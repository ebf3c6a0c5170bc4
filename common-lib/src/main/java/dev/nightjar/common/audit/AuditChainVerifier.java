package dev.nightjar.common.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Walks the whole audit log in order and reports every place the chain is broken: a gap in the
 * sequence (a row removed), a row whose {@code previous_hash} is not its predecessor's hash (a row
 * removed or inserted), or a row whose own hash does not match its content (a row changed).
 */
public final class AuditChainVerifier {

    private static final int PAGE = 5_000;

    /** What the walk found; {@code intact} when there are no findings. */
    public record Result(long rows, long headSeq, String headHash, List<String> findings) {
        public boolean intact() {
            return findings.isEmpty();
        }
    }

    private final JdbcClient jdbc;

    public AuditChainVerifier(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Result verify() {
        List<String> findings = new ArrayList<>();
        long rows = 0;
        long expectedSeq = 1;
        byte[] previous = AuditChain.GENESIS;
        long after = 0;
        while (true) {
            List<AuditChain.Row> page = jdbc.sql("""
                            SELECT seq, at, actor, action, subject, merchant_id, details, previous_hash, hash
                            FROM audit_log WHERE seq > :after ORDER BY seq LIMIT :limit""")
                    .param("after", after).param("limit", PAGE)
                    .query((rs, n) -> new AuditChain.Row(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8),
                            rs.getBytes(9)))
                    .list();
            for (AuditChain.Row row : page) {
                rows++;
                if (row.seq() != expectedSeq) {
                    findings.add("rows " + expectedSeq + ".." + (row.seq() - 1) + " are missing");
                }
                if (!MessageDigest.isEqual(row.previousHash(), previous)) {
                    findings.add("row " + row.seq() + " does not follow its predecessor (a row was removed, inserted or changed before it)");
                }
                if (!MessageDigest.isEqual(row.hash(), AuditChain.hashOf(row))) {
                    findings.add("row " + row.seq() + " does not match its hash (its content was changed)");
                }
                previous = row.hash();
                expectedSeq = row.seq() + 1;
                after = row.seq();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return new Result(rows, expectedSeq - 1, HexFormat.of().formatHex(previous), List.copyOf(findings));
    }
}
