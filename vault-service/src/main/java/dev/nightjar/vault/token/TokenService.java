package dev.nightjar.vault.token;

import dev.nightjar.common.audit.AuditLog;
import dev.nightjar.common.audit.AuditRecord;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.card.CardNumbers;
import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.VaultContract.DetokenizeResponse;
import dev.nightjar.contracts.contract.VaultContract.TokenResponse;
import dev.nightjar.contracts.contract.VaultContract.TokenizeRequest;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.vault.crypto.Aead;
import dev.nightjar.vault.crypto.DataKeys;
import dev.nightjar.vault.crypto.Fingerprints;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tokenization and detokenization: the card number is encrypted before it touches the database.
 *
 * <p>A payment's token is detokenized by auth-service moments after the gateway had it made. The row this vault
 * wrote is kept in memory, as written (the ciphertext, never the number), for that first detokenization, which
 * then reads no row: a payment's one database read in the vault. {@code card_tokens} rows are never updated or
 * deleted, so the kept row is the stored one. Another replica, a later detokenization, or a row past the hold's
 * bound reads the database as before.
 */
public final class TokenService {

    /** A payment's detokenization comes within a second of its token; the rest of a minute covers a stall. */
    private static final Duration WRITTEN_TTL = Duration.ofMinutes(1);
    /** About 500 bytes a row: 5 MB at most; past it a row is read from the database. */
    private static final int WRITTEN_CAPACITY = 10_000;

    private final JdbcClient jdbc;
    private final DataKeys dataKeys;
    private final Fingerprints fingerprints;
    private final HeldOnce<String> cvcs;
    private final HeldOnce<StoredCard> written;
    private final Clock clock;
    private final AuditLog auditLog;
    private final Counter readFromMemory;
    private final Counter readFromDatabase;

    public TokenService(JdbcClient jdbc, DataKeys dataKeys, Fingerprints fingerprints, HeldOnce<String> cvcs, Clock clock,
                        AuditLog auditLog, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.dataKeys = dataKeys;
        this.fingerprints = fingerprints;
        this.cvcs = cvcs;
        this.written = new HeldOnce<>(WRITTEN_TTL, WRITTEN_CAPACITY, clock);
        this.clock = clock;
        this.auditLog = auditLog;
        this.readFromMemory = detokenizeReads(meters, "memory");
        this.readFromDatabase = detokenizeReads(meters, "database");
    }

    private static Counter detokenizeReads(MeterRegistry meters, String source) {
        return Counter.builder("nightjar.vault.detokenize.reads")
                .description("Card rows read for a detokenization: kept from tokenizing (memory) or read (database)")
                .tag("source", source).register(meters);
    }

    public TokenResponse tokenize(TokenizeRequest request) {
        validate(request);
        String number = request.number();
        String token = Ids.newId(Ids.TOKEN);
        DataKeys.DataKey key = dataKeys.active();
        byte[] ciphertext = Aead.encrypt(key.key(), number.getBytes(StandardCharsets.US_ASCII),
                context(token, request.merchantId()));
        CardDetails card = new CardDetails(CardNumbers.brand(number), CardNumbers.bin(number), CardNumbers.last4(number),
                request.expMonth(), request.expYear(), fingerprints.of(request.merchantId(), number));
        jdbc.sql("""
                        INSERT INTO card_tokens (token, merchant_id, data_key_id, pan_ciphertext, brand, bin, last4,
                                                 exp_month, exp_year, fingerprint)
                        VALUES (:token, :merchant, :key, :ciphertext, :brand, :bin, :last4, :expMonth, :expYear, :fingerprint)""")
                .param("token", token).param("merchant", request.merchantId()).param("key", key.id())
                .param("ciphertext", ciphertext).param("brand", card.brand()).param("bin", card.bin())
                .param("last4", card.last4()).param("expMonth", card.expMonth()).param("expYear", card.expYear())
                .param("fingerprint", card.fingerprint())
                .update();
        written.hold(token, new StoredCard(request.merchantId(), key.id(), ciphertext, card));
        cvcs.hold(token, request.cvc());
        return new TokenResponse(token, request.merchantId(), card);
    }

    /** The token's card details (never the number); 404 for another merchant's token. */
    public TokenResponse describe(String token, String merchantId) {
        return find(token, merchantId).map(row -> new TokenResponse(token, merchantId, row.card()))
                .orElseThrow(() -> ApiException.notFound("token", token));
    }

    /**
     * The card number behind a token, for the acquirer call; the held CVC goes with it once. The access is
     * in the audit log, durably, before the number leaves; so is an attempt on a token that is not there.
     */
    public DetokenizeResponse detokenize(String token, String merchantId, String caller, String paymentId) {
        StoredCard kept = written.take(token, row -> row.merchantId().equals(merchantId));
        Optional<StoredCard> found;
        if (kept != null) {
            readFromMemory.increment();
            found = Optional.of(kept);
        } else {
            readFromDatabase.increment();
            found = find(token, merchantId);
        }
        audit(new AuditRecord(caller, found.isPresent() ? "card.detokenize" : "card.detokenize.not_found",
                token, merchantId, Json.MAPPER.writeValueAsString(java.util.Collections.singletonMap("payment_id", paymentId))));
        StoredCard row = found.orElseThrow(() -> ApiException.notFound("token", token));
        DataKeys.DataKey key = dataKeys.byId(row.dataKeyId());
        String number = new String(Aead.decrypt(key.key(), row.ciphertext(), context(token, merchantId)),
                StandardCharsets.US_ASCII);
        return new DetokenizeResponse(number, row.card().expMonth(), row.card().expYear(), cvcs.take(token));
    }

    private void audit(AuditRecord record) {
        try {
            auditLog.record(record);
        } catch (RuntimeException e) {
            // No card number leaves the vault unaudited.
            throw ApiException.unavailable("The vault cannot write its audit log; try again later.");
        }
    }

    /** Drops expired CVCs and kept rows. */
    public void evictExpired() {
        cvcs.evictExpired();
        written.evictExpired();
    }

    private record StoredCard(String merchantId, String dataKeyId, byte[] ciphertext, CardDetails card) {
    }

    private Optional<StoredCard> find(String token, String merchantId) {
        return jdbc.sql("""
                        SELECT data_key_id, pan_ciphertext, brand, bin, last4, exp_month, exp_year, fingerprint
                        FROM card_tokens WHERE token = :token AND merchant_id = :merchant""")
                .param("token", token).param("merchant", merchantId)
                .query((rs, n) -> new StoredCard(merchantId, rs.getString(1), rs.getBytes(2), new CardDetails(rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getString(8))))
                .optional();
    }

    private void validate(TokenizeRequest request) {
        if (request.merchantId() == null || request.merchantId().isBlank()) {
            throw ApiException.missingParameter("merchant_id");
        }
        if (!CardNumbers.isValid(request.number())) {
            throw ApiException.invalidParameter("number", "The card number is not a valid card number.");
        }
        if (request.expMonth() < 1 || request.expMonth() > 12) {
            throw ApiException.invalidParameter("exp_month", "exp_month must be between 1 and 12.");
        }
        if (YearMonth.of(request.expYear(), request.expMonth()).isBefore(YearMonth.now(clock))) {
            throw ApiException.invalidParameter("exp_year", "The card has expired.");
        }
        if (request.cvc() != null && !isCvc(request.cvc())) {
            throw ApiException.invalidParameter("cvc", "cvc must be 3 or 4 digits.");
        }
    }

    /** Three or four ASCII digits ({@code [0-9]{3,4}}), by a loop: the regular expression was compiled on every call. */
    static boolean isCvc(String cvc) {
        if (cvc.length() < 3 || cvc.length() > 4) {
            return false;
        }
        for (int i = 0; i < cvc.length(); i++) {
            char c = cvc.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Binds each ciphertext to its token and merchant: a ciphertext moved to another row does not decrypt. */
    private static String context(String token, String merchantId) {
        return "nightjar-card:" + token + ":" + merchantId;
    }
}
