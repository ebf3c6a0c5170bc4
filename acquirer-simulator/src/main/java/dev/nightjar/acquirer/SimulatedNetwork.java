package dev.nightjar.acquirer;

import dev.nightjar.common.card.CardNumbers;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationResponse;
import dev.nightjar.common.contract.AcquirerProtocol.TestCard;
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
 * The simulated card network: decides each authorization by test card, deduplicates on the caller's
 * reference (a repeated reference gets the first answer and charges nothing more), and keeps a bounded
 * record of every charge.
 */
@Component
class SimulatedNetwork {

    private final SimulatorProperties properties;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, NetworkRecord> byReference;

    SimulatedNetwork(SimulatorProperties properties) {
        this.properties = properties;
        int max = properties.maxRecords();
        this.byReference = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, NetworkRecord> eldest) {
                return size() > max;
            }
        };
    }

    /** The network's answer, and whether the caller should be kept waiting past its timeout first. */
    record Decision(AuthorizationResponse response, boolean delayed) {
    }

    Decision authorize(AuthorizationRequest request) {
        if (request.reference() == null || request.reference().isBlank()) {
            throw new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_missing",
                    "reference is required", "reference", null));
        }
        if (!CardNumbers.isValid(request.number())) {
            return new Decision(record(request, "declined", "invalid_number", false), false);
        }
        TestCard card = TestCards.find(request.number()).orElse(null);
        String behaviour = card == null ? TestCards.APPROVED : card.outcome();
        return switch (behaviour) {
            case TestCards.DECLINED -> new Decision(record(request, "declined", card.declineCode(), false), false);
            case TestCards.ERROR -> throw new ApiException(503, ApiError.of(ErrorType.API, "processing_error",
                    "The issuer could not process the authorization."));
            // The network approves and charges, but the caller hears nothing in time.
            case TestCards.TIMEOUT -> new Decision(record(request, "approved", null, request.capture()), true);
            default -> new Decision(record(request, "approved", null, request.capture()), false);
        };
    }

    private AuthorizationResponse record(AuthorizationRequest request, String outcome, String declineCode, boolean captured) {
        lock.lock();
        try {
            NetworkRecord existing = byReference.get(request.reference());
            if (existing == null) {
                existing = new NetworkRecord(request.reference(), "nw_" + Long.toUnsignedString(random.nextLong(), 36),
                        properties.name(), captured ? "sale" : "authorization", request.merchantId(),
                        request.amountMinor(), request.currency(), CardNumbers.last4(request.number()),
                        outcome, declineCode, captured, Instant.now());
                byReference.put(request.reference(), existing);
            }
            return new AuthorizationResponse(existing.reference(), existing.networkReference(), existing.outcome(),
                    existing.declineCode(), "approved".equals(existing.outcome()) ? authorizationCode(existing) : null,
                    existing.captured());
        } finally {
            lock.unlock();
        }
    }

    private static String authorizationCode(NetworkRecord record) {
        return String.format("%06d", Math.floorMod(record.networkReference().hashCode(), 1_000_000));
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
