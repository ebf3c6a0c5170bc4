package dev.nightjar.acquirer;

import dev.nightjar.acquirer.NetworkEntry.Acted;
import dev.nightjar.acquirer.NetworkEntry.Cleared;
import dev.nightjar.acquirer.NetworkEntry.Imported;
import dev.nightjar.acquirer.journal.FileJournal;
import dev.nightjar.acquirer.journal.Journal;
import dev.nightjar.acquirer.journal.JournalException;
import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.contracts.card.CardNumbers;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.AuthorizationResponse;
import dev.nightjar.contracts.contract.AcquirerProtocol.CaptureRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.OperationResponse;
import dev.nightjar.contracts.contract.AcquirerProtocol.RefundRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchLine;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchReceipt;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReport;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReportLine;
import dev.nightjar.contracts.contract.AcquirerProtocol.TestCard;
import dev.nightjar.contracts.contract.AcquirerProtocol.VoidRequest;
import dev.nightjar.contracts.contract.NetworkAnswer;
import dev.nightjar.contracts.json.Json;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The simulated card network: decides authorizations by test card, holds what each authorization
 * authorized, captured and refunded, and applies a network's rules to captures, voids and refunds.
 * Every request is deduplicated on the caller's reference: a repeated reference gets the first answer
 * and moves no money. Every outcome is kept (bounded) as evidence, and, with a data directory, in a
 * journal on disk before it is answered, so a restart (even a kill) forgets nothing it answered.
 */
@Component
class SimulatedNetwork implements AutoCloseable {

    static final String AUTHORIZATION = "authorization";
    static final String SALE = "sale";
    static final String CAPTURE = "capture";
    static final String VOID = "void";
    static final String REFUND = "refund";
    static final NetworkAnswer APPROVED = NetworkAnswer.APPROVED;
    static final NetworkAnswer DECLINED = NetworkAnswer.DECLINED;

    private static final Logger log = LoggerFactory.getLogger(SimulatedNetwork.class);

    private final SimulatorProperties properties;
    private final SecureRandom random = new SecureRandom();
    /**
     * One decision at a time: each reads the state, journals its change and applies it before the next begins,
     * so the state never holds what the journal lacks, and both have it in the same order.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final NetworkState state;
    private final Journal<NetworkEntry> journal;

    SimulatedNetwork(SimulatorProperties properties) {
        this.properties = properties;
        this.state = new NetworkState(properties.maxRecords());
        if (properties.dataDir() == null) {
            this.journal = Journal.none();
            return;
        }
        // Synced to the disk, not only to the operating system: auth-service and the ledger commit to
        // PostgreSQL with fsync, and a network that forgot a charge they recorded would settle it as missing.
        // Group commit keeps the cost to one fsync per burst of concurrent requests.
        this.journal = FileJournal.open(properties.dataDir(),
                new FileJournal.Options(properties.name(), properties.journalSegmentSize().toBytes(), true),
                Json.MAPPER, NetworkEntry.class, state::apply, state::snapshot);
        log.info("{}: {} from the journal in {}", properties.name(), state.size(), properties.dataDir());
    }

    /** What one decision made: the entries that change the state (none when it only read) and its answer. */
    private record Outcome<T>(List<NetworkEntry> entries, T answer) {

        static <T> Outcome<T> read(T answer) {
            return new Outcome<>(List.of(), answer);
        }

        static <T> Outcome<T> wrote(NetworkEntry entry, T answer) {
            return new Outcome<>(List.of(entry), answer);
        }
    }

    /**
     * Decides under the lock, journals the change before applying it, and answers once everything the answer
     * rests on is durable: the wait for the disk is outside the lock, shared by the requests behind it.
     */
    private <T> T decide(Function<NetworkState, Outcome<T>> decision) {
        Outcome<T> outcome;
        long sequence;
        lock.lock();
        try {
            outcome = decision.apply(state);
            if (outcome.entries().isEmpty()) {
                // it read what earlier requests wrote, which may not be synced yet
                sequence = journal.appended();
            } else {
                sequence = append(outcome.entries());
                outcome.entries().forEach(state::apply);
            }
        } finally {
            lock.unlock();
        }
        journal.sync(sequence);
        return outcome.answer();
    }

    private long append(List<NetworkEntry> entries) {
        try {
            return journal.append(entries);
        } catch (JournalException e) {
            log.error("{}: a request could not be journaled, so it was not done", properties.name(), e);
            // true: nothing was applied, and the caller may take its request elsewhere
            throw ApiException.unavailable("The acquirer could not record the request and did nothing.");
        }
    }

    /** The network's answer, and whether the caller should be kept waiting past its timeout first. */
    record Decision(AuthorizationResponse response, boolean delayed) {
    }

    Decision authorize(AuthorizationRequest request) {
        requireReference(request.reference());
        boolean valid = CardNumbers.isValid(request.number());
        TestCard card = valid ? TestCards.find(request.number()).orElse(null) : null;
        String behaviour = card == null ? TestCards.APPROVED : card.outcome();
        if (valid && TestCards.ERROR.equals(behaviour)) {
            throw new ApiException(503, ApiError.of(ErrorType.API, "processing_error",
                    "The issuer could not process the authorization."));
        }
        return decide(network -> {
            NetworkRecord existing = network.record(request.reference());
            if (existing != null) {
                // the same reference again: an inquiry, answered with what was done, at once
                return Outcome.read(new Decision(authorizationResponse(existing), false));
            }
            NetworkRecord record;
            if (!valid) {
                record = authorizationRecord(request, DECLINED, "invalid_number", false);
            } else if (TestCards.DECLINED.equals(behaviour)) {
                record = authorizationRecord(request, DECLINED, card.declineCode(), false);
            } else {
                record = authorizationRecord(request, APPROVED, null, request.capture());
            }
            // The timeout card: the network approves and charges, but the caller hears nothing in time.
            boolean delayed = valid && TestCards.TIMEOUT.equals(behaviour);
            return Outcome.wrote(new Acted(record), new Decision(authorizationResponse(record), delayed));
        });
    }

    private NetworkRecord authorizationRecord(AuthorizationRequest request, NetworkAnswer outcome, String declineCode,
                                              boolean captured) {
        return new NetworkRecord(request.reference(), networkReference(), properties.name(),
                captured ? SALE : AUTHORIZATION, request.merchantId(), request.amountMinor(), request.currency(),
                CardNumbers.last4(request.number()), outcome, declineCode, captured, null, Instant.now());
    }

    private static AuthorizationResponse authorizationResponse(NetworkRecord record) {
        return new AuthorizationResponse(record.reference(), record.networkReference(), record.outcome(),
                record.declineCode(), record.outcome() == APPROVED ? authorizationCode(record) : null,
                record.captured());
    }

    OperationResponse capture(CaptureRequest request) {
        requireReference(request.reference());
        return operate(request.reference(), request.authorization(), CAPTURE, request.amountMinor(), hold -> {
            if (hold.voided()) {
                return "authorization_voided";
            }
            if (hold.capturedMinor() > 0) {
                return "already_captured";
            }
            if (request.amountMinor() <= 0 || request.amountMinor() > hold.authorization().amountMinor()) {
                return "amount_exceeds_authorization";
            }
            return null;
        });
    }

    OperationResponse voidAuthorization(VoidRequest request) {
        requireReference(request.reference());
        return operate(request.reference(), request.authorization(), VOID, 0,
                hold -> hold.capturedMinor() > 0 ? "already_captured" : null);
    }

    OperationResponse refund(RefundRequest request) {
        requireReference(request.reference());
        return operate(request.reference(), request.authorization(), REFUND, request.amountMinor(),
                hold -> request.amountMinor() <= 0 || hold.refundedMinor() + request.amountMinor() > hold.capturedMinor()
                        ? "amount_exceeds_captured" : null);
    }

    /**
     * Judges an operation on an authorization's hold by {@code rule} (null = approve, else the decline code),
     * once per reference; what an approved one does to the hold is {@link NetworkState#apply}'s.
     */
    private OperationResponse operate(String reference, String authorization, String operation, long amountMinor,
                                      Function<Hold, String> rule) {
        return decide(network -> {
            NetworkRecord existing = network.record(reference);
            if (existing != null) {
                return Outcome.read(operationResponse(existing));
            }
            Hold hold = network.hold(authorization);
            String decline = hold == null || !hold.approved() ? "authorization_not_found" : rule.apply(hold);
            NetworkRecord base = hold == null ? null : hold.authorization();
            NetworkRecord record = new NetworkRecord(reference, networkReference(), properties.name(), operation,
                    base == null ? null : base.merchantId(), amountMinor, base == null ? null : base.currency(),
                    base == null ? null : base.cardLast4(), decline == null ? APPROVED : DECLINED, decline,
                    CAPTURE.equals(operation) && decline == null, authorization, Instant.now());
            return Outcome.wrote(new Acted(record), operationResponse(record));
        });
    }

    private static OperationResponse operationResponse(NetworkRecord record) {
        return new OperationResponse(record.reference(), record.networkReference(), record.outcome(), record.declineCode());
    }

    private String networkReference() {
        return "nw_" + Long.toUnsignedString(random.nextLong(), 36);
    }

    private static void requireReference(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_missing",
                    "reference is required", "reference", null));
        }
    }

    private static String authorizationCode(NetworkRecord record) {
        return String.format("%06d", Math.floorMod(record.networkReference().hashCode(), 1_000_000));
    }

    /**
     * The settlement report of one day (UTC): every approved capture, sale and refund the network made that
     * day, with the acquirer's fee on each (basis points of the amount, rounded half up; refunds carry no
     * fee), oldest first.
     */
    List<SettlementLine> settlementReport(LocalDate day, int feeBasisPoints) {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = from.plus(Duration.ofDays(1));
        return decide(network -> {
            List<SettlementLine> lines = new ArrayList<>();
            for (NetworkRecord record : network.records()) {
                boolean settles = record.outcome() == APPROVED && (CAPTURE.equals(record.operation())
                        || SALE.equals(record.operation()) || REFUND.equals(record.operation()));
                if (settles && !record.at().isBefore(from) && record.at().isBefore(to)) {
                    long fee = AcquirerProtocol.feeMinor(record.operation(), record.amountMinor(), feeBasisPoints);
                    long signed = REFUND.equals(record.operation()) ? -record.amountMinor() : record.amountMinor();
                    lines.add(new SettlementLine(record.reference(), record.networkReference(), record.merchantId(),
                            record.operation(), signed, record.currency(), fee, record.at()));
                }
            }
            lines.sort(Comparator.comparing(SettlementLine::at));
            return Outcome.read(lines);
        });
    }

    /** One line of a settlement report: money the acquirer moves for a merchant (negative for refunds). */
    record SettlementLine(String reference, String networkReference, String merchantId, String operation,
                          long amountMinor, String currency, long feeMinor, Instant at) {
    }

    /** A movement made outside this simulator, recorded as approved (bulk import for benchmarks). */
    record ImportedRecord(String reference, String authorization, String operation, String merchantId, long amountMinor,
                          String currency) {
    }

    /** Records the movements not on record yet, each once by reference; returns how many were new. */
    int importRecords(List<ImportedRecord> imported) {
        Instant now = Instant.now();
        return decide(network -> {
            Set<String> references = new HashSet<>();
            List<NetworkEntry> entries = new ArrayList<>();
            for (ImportedRecord record : imported) {
                if (network.record(record.reference()) != null || !references.add(record.reference())) {
                    continue;
                }
                boolean sale = SALE.equals(record.operation());
                // A sale is its own authorization: its network reference is what settlement lines name.
                entries.add(new Imported(new NetworkRecord(record.reference(), sale ? record.authorization() : networkReference(),
                        properties.name(), record.operation(), record.merchantId(), record.amountMinor(), record.currency(),
                        null, APPROVED, null, !REFUND.equals(record.operation()), sale ? null : record.authorization(), now)));
            }
            return new Outcome<>(entries, entries.size());
        });
    }

    /**
     * Clears a batch the first time its id arrives and answers its receipt; an id seen before gets its first
     * receipt. Each line takes an approved record of its authorization, currency and direction that no line of
     * any batch has taken yet, one of the same amount if there is one; lines without such a record are left
     * out. The report carries the record's amount (negative for refunds) and the acquirer's fee on it, then
     * goes through {@code reportFaults}; it is kept as first made, for every later fetch.
     */
    SettlementBatchReceipt clear(SettlementBatchRequest request, UnaryOperator<List<SettlementReportLine>> reportFaults) {
        return decide(network -> {
            Cleared existing = network.batch(request.batchId());
            if (existing != null) {
                return Outcome.read(existing.receipt());
            }
            Set<String> taken = new LinkedHashSet<>();
            List<SettlementReportLine> lines = new ArrayList<>(request.lines().size());
            for (SettlementBatchLine line : request.lines()) {
                NetworkRecord record = network.settlementRecord(line, request.currency(), taken);
                if (record != null) {
                    taken.add(record.reference());
                    long signed = REFUND.equals(line.operation()) ? -record.amountMinor() : record.amountMinor();
                    lines.add(new SettlementReportLine(line.reference(), record.networkReference(), record.merchantId(),
                            line.operation(), signed, AcquirerProtocol.feeMinor(line.operation(), record.amountMinor(),
                            properties.feeBasisPoints())));
                }
            }
            SettlementBatchReceipt receipt = new SettlementBatchReceipt(request.batchId(), properties.name(),
                    request.currency(), request.lines().size());
            SettlementReport report = new SettlementReport(request.batchId(), properties.name(), request.currency(),
                    List.copyOf(reportFaults.apply(lines)));
            return Outcome.wrote(new Cleared(receipt, report, List.copyOf(taken)), receipt);
        });
    }

    /** The report of a batch cleared before; a 404 for a batch never submitted (or long forgotten). */
    SettlementReport batchReport(String batchId) {
        return decide(network -> {
            Cleared cleared = network.batch(batchId);
            if (cleared == null) {
                throw ApiException.notFound("settlement batch", batchId);
            }
            return Outcome.read(cleared.report());
        });
    }

    List<NetworkRecord> records(String reference, String merchantId, int limit) {
        return decide(network -> Outcome.read(network.records(reference, merchantId, limit)));
    }

    @Override
    public void close() {
        journal.close();
    }
}
