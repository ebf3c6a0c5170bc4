package dev.nightjar.acquirer;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReportLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * How this acquirer's settlement reports go wrong, switched at runtime over its admin API: lines dropped
 * (by reference or at random), amounts and fees moved, lines added that the submitter never sent. Applied
 * to each report when it is built, from the moment the switches are set until they are cleared.
 */
@Component
final class ReportFaults extends Switches<ReportFaults.Settings> {

    static final int MAX_ENTRIES = 10_000;
    static final int MAX_EXTRA_LINES = 1_000;
    static final long MAX_AMOUNT_MINOR = 1_000_000_000_000L;

    /** A line the acquirer reports although nobody submitted it. */
    record ExtraLine(String merchantId, String operation, Long amountMinor) {
    }

    /** The switches; what a request leaves out is off. Rates are 0 to 1. */
    record Settings(List<String> dropReferences, Map<String, Long> amountDelta, Map<String, Long> feeDelta,
                    List<ExtraLine> extraLines, Double dropRate, Double amountDeltaRate) {

        static final Settings NONE = new Settings(null, null, null, null, null, null);

        Settings {
            dropReferences = List.copyOf(bounded("drop_references", dropReferences == null ? List.of() : dropReferences));
            amountDelta = Map.copyOf(bounded("amount_delta", amountDelta == null ? Map.of() : amountDelta));
            feeDelta = Map.copyOf(bounded("fee_delta", feeDelta == null ? Map.of() : feeDelta));
            extraLines = List.copyOf(extraLines == null ? List.of() : extraLines);
            dropRate = rate("drop_rate", dropRate);
            amountDeltaRate = rate("amount_delta_rate", amountDeltaRate);
            deltas("amount_delta", amountDelta);
            deltas("fee_delta", feeDelta);
            if (extraLines.size() > MAX_EXTRA_LINES) {
                throw ApiException.invalidParameter("extra_lines", "extra_lines takes at most " + MAX_EXTRA_LINES + " lines.");
            }
            for (int i = 0; i < extraLines.size(); i++) {
                validate(extraLines.get(i), "extra_lines[" + i + "]");
            }
        }

        private static <C> C bounded(String name, C entries) {
            int size = entries instanceof Map<?, ?> map ? map.size() : ((List<?>) entries).size();
            if (size > MAX_ENTRIES) {
                throw ApiException.invalidParameter(name, name + " takes at most " + MAX_ENTRIES + " entries.");
            }
            return entries;
        }

        private static double rate(String name, Double rate) {
            if (rate == null) {
                return 0;
            }
            if (rate.isNaN() || rate < 0 || rate > 1) {
                throw ApiException.invalidParameter(name, name + " must be from 0 to 1.");
            }
            return rate;
        }

        private static void deltas(String name, Map<String, Long> deltas) {
            deltas.forEach((reference, delta) -> {
                if (delta == null || Math.abs(delta) > MAX_AMOUNT_MINOR) {
                    throw ApiException.invalidParameter(name + "." + reference,
                            name + " values are whole minor units of at most " + MAX_AMOUNT_MINOR + " either way.");
                }
            });
        }

        private static void validate(ExtraLine line, String param) {
            if (line == null) {
                throw ApiException.missingParameter(param);
            }
            if (line.merchantId() == null || line.merchantId().isBlank()) {
                throw ApiException.missingParameter(param + ".merchant_id");
            }
            if (!AcquirerProtocol.CAPTURE.equals(line.operation()) && !AcquirerProtocol.REFUND.equals(line.operation())) {
                throw ApiException.invalidParameter(param + ".operation", "operation must be capture or refund.");
            }
            if (line.amountMinor() == null || line.amountMinor() <= 0 || line.amountMinor() > MAX_AMOUNT_MINOR) {
                throw ApiException.invalidParameter(param + ".amount_minor",
                        "amount_minor must be a positive whole number of minor units up to " + MAX_AMOUNT_MINOR + ".");
            }
        }
    }

    private final SplittableRandom random = new SplittableRandom();
    private final ReentrantLock randomLock = new ReentrantLock();

    ReportFaults() {
        super(Settings.NONE);
    }

    /** The report as the faults make it: lines dropped and altered, then the extra lines appended. */
    List<SettlementReportLine> apply(List<SettlementReportLine> lines, int feeBasisPoints) {
        Settings settings = settings();
        if (settings.equals(Settings.NONE)) {
            return lines;
        }
        Set<String> dropped = Set.copyOf(settings.dropReferences());
        List<SettlementReportLine> out = new ArrayList<>(lines.size() + settings.extraLines().size());
        randomLock.lock();
        try {
            for (SettlementReportLine line : lines) {
                if (dropped.contains(line.reference()) || random.nextDouble() < settings.dropRate()) {
                    continue;
                }
                // a random amount error is one minor unit too much
                long amountDelta = settings.amountDelta().getOrDefault(line.reference(),
                        random.nextDouble() < settings.amountDeltaRate() ? 1L : 0L);
                long feeDelta = settings.feeDelta().getOrDefault(line.reference(), 0L);
                out.add(new SettlementReportLine(line.reference(), line.networkReference(), line.merchantId(),
                        line.operation(), line.amountMinor() + amountDelta, line.feeMinor() + feeDelta));
            }
            for (ExtraLine extra : settings.extraLines()) {
                String id = Long.toUnsignedString(random.nextLong(), 36);
                boolean refund = AcquirerProtocol.REFUND.equals(extra.operation());
                out.add(new SettlementReportLine("acq_extra_" + id, "nw_extra_" + id, extra.merchantId(), extra.operation(),
                        refund ? -extra.amountMinor() : extra.amountMinor(),
                        AcquirerProtocol.feeMinor(extra.operation(), extra.amountMinor(), feeBasisPoints)));
            }
        } finally {
            randomLock.unlock();
        }
        return out;
    }
}
