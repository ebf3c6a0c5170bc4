package dev.nightjar.contracts.contract;

/**
 * What became of a money operation at the acquirers, as auth-service answers it ({@link AuthContract}): the one
 * vocabulary from the acquirer's answer to the payment. Whether the operation was sent at all is a value of its
 * own ({@link #NOT_SENT}), never read from a decline code.
 */
public enum AcquirerOutcome implements WireValue {
    /** The acquirer approved: the money moved (or is held). */
    APPROVED("approved"),
    /** The acquirer declined; the decline code says why. Nothing moved. */
    DECLINED("declined"),
    /**
     * Failed for certain after it was sent (the acquirer refused it outright), or could never be sent (the vault
     * refused the card for good): nothing moved, and asking again changes nothing.
     */
    FAILED("failed"),
    /**
     * Failed without being sent: no acquirer could be asked (every breaker open, every bulkhead full, none
     * reachable). Nothing moved anywhere; the same operation may be asked again later.
     */
    NOT_SENT("unavailable"),
    /** Sent, and no answer known (a timeout, or another request sending it now): the money may have moved. */
    UNKNOWN("unknown");

    private final String wire;

    AcquirerOutcome(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** Certainly nothing moved at any acquirer. */
    public boolean nothingMoved() {
        return this == DECLINED || this == FAILED || this == NOT_SENT;
    }

    public static AcquirerOutcome of(String wire) {
        return WireValue.parse(AcquirerOutcome.class, wire);
    }
}
