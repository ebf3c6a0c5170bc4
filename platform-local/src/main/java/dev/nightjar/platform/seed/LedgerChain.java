package dev.nightjar.platform.seed;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A ledger shard's hash chain as ledger-service computes it ({@code ChainHash}: SHA-256 of the previous hash
 * then the entry's canonical form, one field per line, postings as {@code account TAB currency TAB amount}).
 * A mirror, since ledger-service is not on this module's class path; {@code LedgerChainTest} pins it to a hash
 * the ledger's own code computed, so a change to the ledger's canonical form fails there.
 */
public final class LedgerChain {

    /** The previous hash of a shard's first entry. */
    public static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private LedgerChain() {
    }

    /** The chain's head: the last entry's sequence and hash ({@code ledger_chain}). */
    public record Head(long sequence, String hash) {
    }

    /** An entry placed in the chain. */
    public record Chained(SeedEntry entry, long sequence, String previousHash, String hash) {
    }

    /** The entries appended after {@code head}, in the order given, each hashed over the one before. */
    public static List<Chained> extend(Head head, List<SeedEntry> entries) {
        List<Chained> chained = new ArrayList<>(entries.size());
        long sequence = head.sequence();
        String previous = head.hash();
        MessageDigest sha256 = sha256();
        for (SeedEntry entry : entries) {
            sequence++;
            String hash = hash(sha256, previous, sequence, entry);
            chained.add(new Chained(entry, sequence, previous, hash));
            previous = hash;
        }
        return chained;
    }

    /** The hash of {@code entry} at {@code sequence} after {@code previousHash}. */
    public static String hash(String previousHash, long sequence, SeedEntry entry) {
        return hash(sha256(), previousHash, sequence, entry);
    }

    private static String hash(MessageDigest sha256, String previousHash, long sequence, SeedEntry entry) {
        StringBuilder canonical = new StringBuilder(256)
                .append(sequence).append('\n')
                .append(entry.id()).append('\n')
                .append(micros(entry.createdAt())).append('\n')
                .append(entry.merchantId()).append('\n')
                .append(entry.kind()).append('\n')
                .append(nullable(entry.paymentId())).append('\n')
                .append(entry.sourceEventId()).append('\n')
                .append(entry.description()).append('\n')
                .append(nullable(entry.acquirer())).append('\n')
                .append(nullable(entry.authorizationReference())).append('\n')
                .append(nullable(entry.currency())).append('\n')
                .append(entry.amountMinor()).append('\n')
                .append(entry.feeMinor()).append('\n');
        for (SeedEntry.Posting posting : entry.postings()) {
            canonical.append(posting.account()).append('\t').append(posting.currency()).append('\t')
                    .append(posting.amountMinor()).append('\n');
        }
        sha256.reset();
        sha256.update(HEX.parseHex(previousHash));
        return HEX.formatHex(sha256.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static String nullable(String value) {
        return value == null ? "" : value;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
