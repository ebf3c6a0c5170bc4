package dev.nightjar.common.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash chain of a ledger shard's journal: {@code hash = SHA-256(previous hash || canonical entry)}. The
 * canonical form is one field per line in a fixed order, postings as {@code account TAB currency TAB amount},
 * so the same entry always hashes the same and any change to a committed entry shows. ledger-service chains
 * what it books with it, and the local platform's history seeder what it writes, so a seeded journal passes
 * the ledger's integrity check; {@code ChainHashTest} pins the form to hashes already stored.
 */
public final class ChainHash {

    /** What the chain covers of a journal entry, in the order it is hashed. */
    public interface Entry {
        String id();

        Instant createdAt();

        String merchantId();

        String kind();

        String paymentId();

        String sourceEventId();

        String description();

        String acquirer();

        String authorizationReference();

        String currency();

        long amountMinor();

        long feeMinor();

        List<? extends Posting> postings();
    }

    /** What the chain covers of a posting. */
    public interface Posting {
        String account();

        long amountMinor();

        String currency();
    }

    /** The previous hash of the first entry of a shard. */
    public static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private ChainHash() {
    }

    /** The hash of {@code entry} at {@code sequence} in its shard's chain, after the entry whose hash is {@code previousHash}. */
    public static String of(String previousHash, long sequence, Entry entry) {
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
        for (Posting posting : entry.postings()) {
            canonical.append(posting.account()).append('\t').append(posting.currency()).append('\t')
                    .append(posting.amountMinor()).append('\n');
        }
        MessageDigest sha256 = sha256();
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
