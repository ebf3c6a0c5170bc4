package dev.nightjar.acquirer;

import dev.nightjar.common.card.CardNumbers;
import dev.nightjar.common.contract.AcquirerProtocol;
import dev.nightjar.common.contract.AcquirerProtocol.SettlementBatchLine;
import dev.nightjar.common.contract.AcquirerProtocol.SettlementReportLine;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationResponse;
import dev.nightjar.common.contract.AcquirerProtocol.CaptureRequest;
import dev.nightjar.common.contract.AcquirerProtocol.OperationResponse;
import dev.nightjar.common.contract.AcquirerProtocol.RefundRequest;
import dev.nightjar.common.contract.AcquirerProtocol.TestCard;
import dev.nightjar.common.contract.AcquirerProtocol.VoidRequest;
import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * The simulated card network: decides authorizations by test card, holds what each authorization
 * authorized, captured and refunded, and applies a network's rules to captures, voids and refunds.
 * Every request is deduplicated on the caller's reference: a repeated reference gets the first answer
 * and moves no money. Every outcome is kept (bounded) as evidence.
 */
@Component
class SimulatedNetwork {

    static final String AUTHORIZATION = "authorization";
    static final String SALE = "sale";
    static final String CAPTURE = "capture";
    static final String VOID = "void";
    static final String REFUND = "refund";

    /** What one authorization holds at the network. */
    private static final class Hold {
        final NetworkRecord authorization;
        long captured;
        long refunded;
        boolean voided;

        Hold(NetworkRecord authorization) {
            this.authorization = authorization;
            this.captured = authorization.captured() ? authorization.amountMinor() : 0;
        }
    }

    private final SimulatorProperties properties;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, NetworkRecord> byReference;
    private final Map<String, Hold> holds;
    /** Approved captures, sales and refunds by the authorization they belong to: what settlement lines match. */
    private final SettlementIndex settleable = new SettlementIndex();

    SimulatedNetwork(SimulatorProperties properties) {
        this.properties = properties;
        this.byReference = bounded(properties.maxRecords(), settleable::forget);
        this.holds = bounded(properties.maxRecords(), evicted -> { });
    }

    private static <V> Map<String, V> bounded(int max, java.util.function.Consumer<V> onEvict) {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                boolean evict = size() > max;
                if (evict) {
                    onEvict.accept(eldest.getValue());
                }
                return evict;
            }
        };
    }

    /** Keeps a new record, and indexes it for settlement when it moved money. Call under the lock. */
    private void keep(NetworkRecord record) {
        byReference.put(record.reference(), record);
        settleable.add(record);
    }

    /** The network's answer, and whether the caller should be kept waiting past its timeout first. */
    record Decision(AuthorizationResponse response, boolean delayed) {
    }

    Decision authorize(AuthorizationRequest request) {
        requireReference(request.reference());
        if (!CardNumbers.isValid(request.number())) {
            return new Decision(authorization(request, "declined", "invalid_number", false), false);
        }
        TestCard card = TestCards.find(request.number()).orElse(null);
        String behaviour = card == null ? TestCards.APPROVED : card.outcome();
        return switch (behaviour) {
            case TestCards.DECLINED -> new Decision(authorization(request, "declined", card.declineCode(), false), false);
            case TestCards.ERROR -> throw new ApiException(503, ApiError.of(ErrorType.API, "processing_error",
                    "The issuer could not process the authorization."));
            // The network approves and charges, but the caller hears nothing in time.
            // (only the first time: asked again with the same reference, it answers at once, as an inquiry)
            case TestCards.TIMEOUT -> {
                boolean firstTime = !known(request.reference());
                yield new Decision(authorization(request, "approved", null, request.capture()), firstTime);
            }
            default -> new Decision(authorization(request, "approved", null, request.capture()), false);
        };
    }

    OperationResponse capture(CaptureRequest request) {
        requireReference(request.reference());
        return operate(request.reference(), request.authorization(), CAPTURE, request.amountMinor(), hold -> {
            if (hold.voided) {
                return "authorization_voided";
            }
            if (hold.captured > 0) {
                return "already_captured";
            }
            if (request.amountMinor() <= 0 || request.amountMinor() > hold.authorization.amountMinor()) {
                return "amount_exceeds_authorization";
            }
            hold.captured = request.amountMinor();
            return null;
        });
    }

    OperationResponse voidAuthorization(VoidRequest request) {
        requireReference(request.reference());
        return operate(request.reference(), request.authorization(), VOID, 0, hold -> {
            if (hold.captured > 0) {
                return "already_captured";
            }
            hold.voided = true;
            return null;
        });
    }

    OperationResponse refund(RefundRequest request) {
        requireReference(request.reference());
        return operate(request.reference(), request.authorization(), REFUND, request.amountMinor(), hold -> {
            if (request.amountMinor() <= 0 || hold.refunded + request.amountMinor() > hold.captured) {
                return "amount_exceeds_captured";
            }
            hold.refunded += request.amountMinor();
            return null;
        });
    }

    /** Applies {@code rule} to the authorization's hold (null = approve, else the decline code), once per reference. */
    private OperationResponse operate(String reference, String authorization, String operation, long amountMinor,
                                      java.util.function.Function<Hold, String> rule) {
        lock.lock();
        try {
            NetworkRecord existing = byReference.get(reference);
            if (existing == null) {
                Hold hold = holds.get(authorization);
                String decline;
                if (hold == null || !"approved".equals(hold.authorization.outcome())) {
                    decline = "authorization_not_found";
                } else {
                    decline = rule.apply(hold);
                }
                NetworkRecord base = hold == null ? null : hold.authorization;
                existing = new NetworkRecord(reference, networkReference(), properties.name(), operation,
                        base == null ? null : base.merchantId(), amountMinor, base == null ? null : base.currency(),
                        base == null ? null : base.cardLast4(), decline == null ? "approved" : "declined", decline,
                        CAPTURE.equals(operation) && decline == null, authorization, Instant.now());
                keep(existing);
            }
            return new OperationResponse(existing.reference(), existing.networkReference(), existing.outcome(),
                    existing.declineCode());
        } finally {
            lock.unlock();
        }
    }

    private AuthorizationResponse authorization(AuthorizationRequest request, String outcome, String declineCode,
                                                boolean captured) {
        lock.lock();
        try {
            NetworkRecord existing = byReference.get(request.reference());
            if (existing == null) {
                existing = new NetworkRecord(request.reference(), networkReference(), properties.name(),
                        captured ? SALE : AUTHORIZATION, request.merchantId(), request.amountMinor(), request.currency(),
                        CardNumbers.last4(request.number()), outcome, declineCode, captured, null, Instant.now());
                keep(existing);
                holds.put(existing.networkReference(), new Hold(existing));
            }
            return new AuthorizationResponse(existing.reference(), existing.networkReference(), existing.outcome(),
                    existing.declineCode(), "approved".equals(existing.outcome()) ? authorizationCode(existing) : null,
                    existing.captured());
        } finally {
            lock.unlock();
        }
    }

    private boolean known(String reference) {
        lock.lock();
        try {
            return byReference.containsKey(reference);
        } finally {
            lock.unlock();
        }
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
    List<SettlementLine> settlementReport(java.time.LocalDate day, int feeBasisPoints) {
        Instant from = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Instant to = from.plus(java.time.Duration.ofDays(1));
        lock.lock();
        try {
            List<SettlementLine> lines = new ArrayList<>();
            for (NetworkRecord record : byReference.values()) {
                boolean settles = "approved".equals(record.outcome()) && (CAPTURE.equals(record.operation())
                        || SALE.equals(record.operation()) || REFUND.equals(record.operation()));
                if (settles && !record.at().isBefore(from) && record.at().isBefore(to)) {
                    long fee = AcquirerProtocol.feeMinor(record.operation(), record.amountMinor(), feeBasisPoints);
                    long signed = REFUND.equals(record.operation()) ? -record.amountMinor() : record.amountMinor();
                    lines.add(new SettlementLine(record.reference(), record.networkReference(), record.merchantId(),
                            record.operation(), signed, record.currency(), fee, record.at()));
                }
            }
            lines.sort(java.util.Comparator.comparing(SettlementLine::at));
            return lines;
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            int added = 0;
            for (ImportedRecord record : imported) {
                if (byReference.containsKey(record.reference())) {
                    continue;
                }
                boolean sale = SALE.equals(record.operation());
                // A sale is its own authorization: its network reference is what settlement lines name.
                keep(new NetworkRecord(record.reference(), sale ? record.authorization() : networkReference(),
                        properties.name(), record.operation(), record.merchantId(), record.amountMinor(), record.currency(),
                        null, "approved", null, !REFUND.equals(record.operation()), sale ? null : record.authorization(), now));
                added++;
            }
            return added;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Clears a batch's lines against the network's records: each line takes an approved record of its
     * authorization, currency and direction that no line of any batch has taken yet, one of the same amount
     * if there is one. Lines without such a record are left out. The report carries the record's amount
     * (negative for refunds) and the acquirer's fee on it.
     */
    List<SettlementReportLine> clear(String currency, List<SettlementBatchLine> lines, int feeBasisPoints) {
        lock.lock();
        try {
            List<SettlementReportLine> report = new ArrayList<>(lines.size());
            for (SettlementBatchLine line : lines) {
                NetworkRecord record = settleable.take(line, currency);
                if (record != null) {
                    long signed = REFUND.equals(line.operation()) ? -record.amountMinor() : record.amountMinor();
                    report.add(new SettlementReportLine(line.reference(), record.networkReference(), record.merchantId(),
                            line.operation(), signed, AcquirerProtocol.feeMinor(line.operation(), record.amountMinor(),
                            feeBasisPoints)));
                }
            }
            return report;
        } finally {
            lock.unlock();
        }
    }

    List<NetworkRecord> records(String reference, String merchantId, int limit) {
        lock.lock();
        try {
            List<NetworkRecord> matching = new ArrayList<>();
            for (NetworkRecord record : byReference.values()) {
                if ((reference == null || reference.equals(record.reference()))
                        && (merchantId == null || merchantId.equals(record.merchantId()))) {
                    matching.add(record);
                    if (matching.size() >= limit) {
                        break;
                    }
                }
            }
            return matching;
        } finally {
            lock.unlock();
        }
    }
}
