package dev.nightjar.platform.incident;

import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The payment a timeline is about, with what the sources learned of it: its merchant (from its events) and
 * its trace ids (from Zipkin and its events). {@link #NONE} when the timeline covers everything.
 */
public record Focus(String paymentId, String merchantId, Set<String> traceIds) {

    public static final Focus NONE = new Focus(null, null, Set.of());

    public Focus {
        traceIds = Set.copyOf(traceIds);
    }

    /** The payment, before any source said more about it. */
    public static Focus on(String paymentId) {
        return new Focus(Objects.requireNonNull(paymentId, "paymentId"), null, Set.of());
    }

    public boolean hasPayment() {
        return paymentId != null;
    }

    /** Whether text (a log message, an audit record's details) or a trace id ties something to the payment. */
    public boolean concerns(String text, String traceId) {
        return hasPayment() && ((text != null && text.contains(paymentId)) || (traceId != null && traceIds.contains(traceId)));
    }

    public Focus withMerchant(String merchant) {
        return new Focus(paymentId, merchantId == null ? merchant : merchantId, traceIds);
    }

    public Focus withTraceIds(Collection<String> more) {
        Set<String> all = new HashSet<>(traceIds);
        all.addAll(more);
        return new Focus(paymentId, merchantId, all);
    }
}
