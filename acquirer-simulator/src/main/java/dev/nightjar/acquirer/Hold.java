package dev.nightjar.acquirer;

/**
 * What one authorization holds at the network: its amount, how much of it was captured and refunded, and
 * whether it was voided. Immutable, so a snapshot can share it while the network goes on.
 */
record Hold(NetworkRecord authorization, long capturedMinor, long refundedMinor, boolean voided) {

    Hold {
        if (capturedMinor < 0 || refundedMinor < 0 || refundedMinor > capturedMinor) {
            throw new IllegalStateException("a hold refunds at most what it captured: " + capturedMinor + " captured, "
                    + refundedMinor + " refunded, of " + authorization.reference());
        }
    }

    /** A new authorization's hold; a sale is captured in full at once. */
    static Hold of(NetworkRecord authorization) {
        return new Hold(authorization, authorization.captured() ? authorization.amountMinor() : 0, 0, false);
    }

    boolean approved() {
        return authorization.outcome() == SimulatedNetwork.APPROVED;
    }

    Hold afterCapture(long amountMinor) {
        return new Hold(authorization, amountMinor, refundedMinor, voided);
    }

    Hold afterRefund(long amountMinor) {
        return new Hold(authorization, capturedMinor, refundedMinor + amountMinor, voided);
    }

    Hold afterVoid() {
        return new Hold(authorization, capturedMinor, refundedMinor, true);
    }
}
