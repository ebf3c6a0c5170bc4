package dev.nightjar.simulation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A shard's ledger as ledger-service keeps it: entries numbered 1..n, each with
 * {@code hash = SHA-256(previous hash || canonical entry)}, the first after a genesis hash of zeros. A primary
 * makes entries with {@link #next}; a standby takes the primary's with {@link #append}, which checks that each one
 * follows its head and hashes to what it claims, so a standby can prove that what it holds is an unbroken prefix
 * of what the primary wrote, and notices the first entry that does not fit.
 *
 * <p>Abstracts away: the database (a list here), the canonical form's descriptive fields, and the chain head's row
 * lock (one writer at a time is the simulation's nature).
 */
final class HashChain {

    static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private final List<LedgerEntry> entries = new ArrayList<>();
    private final MessageDigest sha256 = sha256();

    /** The entry that would follow the head, hashed; not appended. */
    LedgerEntry next(String kind, int epoch, String paymentId, String reference, String merchant, long atMillis,
                     List<LedgerEntry.Posting> postings) {
        long sequence = headSequence() + 1;
        String previous = headHash();
        return new LedgerEntry(sequence, previous, hash(previous, sequence, kind, epoch, paymentId, reference, merchant,
                atMillis, postings), kind, epoch, paymentId, reference, merchant, atMillis, postings);
    }

    /**
     * Appends an entry; with {@code verify}, only one that follows the head (next sequence, previous hash the head's)
     * and whose hash is its content's. Returns whether it was appended.
     */
    boolean append(LedgerEntry entry, boolean verify) {
        if (verify && (entry.sequence() != headSequence() + 1 || !entry.previousHash().equals(headHash())
                || !entry.hash().equals(rehash(entry)))) {
            return false;
        }
        entries.add(entry);
        return true;
    }

    /** Everything wrong with the chain, walking it from the genesis hash: gaps, broken links, altered entries. */
    List<String> verify() {
        List<String> problems = new ArrayList<>();
        String previous = GENESIS;
        long sequence = 0;
        int epoch = 0;
        for (LedgerEntry entry : entries) {
            if (entry.sequence() != sequence + 1) {
                problems.add("entry " + entry.sequence() + " follows " + sequence
                        + (entry.sequence() > sequence + 1 ? ": entries are missing" : ": a sequence repeats"));
            }
            if (!entry.previousHash().equals(previous)) {
                problems.add("entry " + entry.sequence() + " does not follow the entry before it");
            }
            if (!entry.hash().equals(rehash(entry))) {
                problems.add("entry " + entry.sequence() + " was altered after it was hashed");
            }
            if (entry.epoch() < epoch) {
                problems.add("entry " + entry.sequence() + " was written at epoch " + entry.epoch() + " after epoch " + epoch);
            }
            previous = entry.hash();
            sequence = entry.sequence();
            epoch = Math.max(epoch, entry.epoch());
        }
        return problems;
    }

    long headSequence() {
        return entries.isEmpty() ? 0 : entries.getLast().sequence();
    }

    String headHash() {
        return entries.isEmpty() ? GENESIS : entries.getLast().hash();
    }

    /** The entry with this sequence, or null. */
    LedgerEntry entry(long sequence) {
        int index = (int) sequence - 1;
        if (index >= 0 && index < entries.size() && entries.get(index).sequence() == sequence) {
            return entries.get(index);
        }
        return entries.stream().filter(e -> e.sequence() == sequence).findFirst().orElse(null);
    }

    List<LedgerEntry> entries() {
        return Collections.unmodifiableList(entries);
    }

    int size() {
        return entries.size();
    }

    private String rehash(LedgerEntry e) {
        return hash(e.previousHash(), e.sequence(), e.kind(), e.epoch(), e.paymentId(), e.reference(), e.merchant(),
                e.atMillis(), e.postings());
    }

    private String hash(String previous, long sequence, String kind, int epoch, String paymentId, String reference,
                        String merchant, long atMillis, List<LedgerEntry.Posting> postings) {
        StringBuilder canonical = new StringBuilder(160)
                .append(sequence).append('\n').append(kind).append('\n').append(epoch).append('\n')
                .append(paymentId).append('\n').append(reference).append('\n').append(merchant).append('\n')
                .append(atMillis).append('\n');
        for (LedgerEntry.Posting posting : postings) {
            canonical.append(posting.account()).append('\t').append(posting.currency()).append('\t')
                    .append(posting.amountMinor()).append('\n');
        }
        sha256.reset();
        sha256.update(HEX.parseHex(previous));
        return HEX.formatHex(sha256.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
