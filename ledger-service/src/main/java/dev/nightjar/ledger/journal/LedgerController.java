package dev.nightjar.ledger.journal;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.ledger.integrity.IntegrityCheck;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operators' view of the ledger: entries, balances, statements, and the integrity check. */
@RestController
class LedgerController {

    private static final int MAX_STATEMENT_DAYS = 366;

    private final Journal journal;
    private final IntegrityCheck integrity;

    LedgerController(Journal journal, IntegrityCheck integrity) {
        this.journal = journal;
        this.integrity = integrity;
    }

    @GetMapping("/internal/v1/entries")
    List<JournalEntry> entries(@RequestParam("merchant_id") String merchantId, @RequestParam("payment_id") String paymentId) {
        return journal.entriesForPayment(merchantId, paymentId);
    }

    /** A merchant's accounts, or with no merchant Nightjar's and the acquirers' accounts over all shards. */
    @GetMapping("/internal/v1/balances")
    List<Journal.Balance> balances(@RequestParam(name = "merchant_id", required = false) String merchantId) {
        return merchantId == null ? journal.platformBalances() : journal.balances(merchantId);
    }

    /** One line of a statement: an account's movement over the period. */
    record AccountMovement(String account, long openingMinor, long debitsMinor, long creditsMinor, long closingMinor) {
    }

    record Statement(String merchantId, LocalDate from, LocalDate to, List<AccountMovement> accounts,
                     List<JournalEntry> entries) {
    }

    /**
     * A merchant's statement for the days {@code from} to {@code to} inclusive (UTC): every entry booked in
     * the period and, per merchant account, the opening balance, debits, credits and closing balance.
     */
    @GetMapping("/internal/v1/statements")
    Statement statement(@RequestParam("merchant_id") String merchantId, @RequestParam("from") String fromText,
                        @RequestParam("to") String toText) {
        LocalDate from = date("from", fromText);
        LocalDate to = date("to", toText);
        if (to.isBefore(from)) {
            throw invalid("to", "to (" + to + ") is before from (" + from + ")");
        }
        if (from.plusDays(MAX_STATEMENT_DAYS).isBefore(to)) {
            throw invalid("to", "a statement covers at most " + MAX_STATEMENT_DAYS + " days");
        }
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<JournalEntry> entries = journal.entriesForMerchant(merchantId, start, end);
        Map<String, long[]> movements = new TreeMap<>();
        journal.openingBalances(merchantId, start).forEach((account, opening) -> movements.put(account, new long[] {opening, 0, 0}));
        for (JournalEntry entry : entries) {
            for (Posting posting : entry.postings()) {
                if (merchantId.equals(Accounts.ownerOf(posting.account()))) {
                    long[] movement = movements.computeIfAbsent(posting.account(), a -> new long[3]);
                    movement[posting.amountMinor() > 0 ? 1 : 2] += Math.abs(posting.amountMinor());
                }
            }
        }
        List<AccountMovement> accounts = new ArrayList<>();
        movements.forEach((account, m) -> accounts.add(new AccountMovement(account, m[0], m[1], m[2], m[0] + m[1] - m[2])));
        return new Statement(merchantId, from, to, accounts, entries);
    }

    /**
     * Every entry balanced, every currency summing to zero, every hash chain intact: over the whole journal
     * ({@code scope=full}, the default), or over the entries appended since the last check that found nothing
     * ({@code scope=incremental}).
     */
    @GetMapping("/internal/v1/integrity")
    IntegrityCheck.Report integrity(@RequestParam(name = "scope", defaultValue = "full") String scope) {
        return switch (scope) {
            case "full" -> integrity.run(true);
            case "incremental" -> integrity.run(false);
            default -> throw invalid("scope", "scope must be full or incremental, not '" + scope + "'");
        };
    }

    private static LocalDate date(String name, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(name, name + " must be a date like 2026-11-24, not '" + text + "'");
        }
    }

    private static ApiException invalid(String param, String message) {
        return new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "parameter_invalid", message).withParam(param));
    }
}
