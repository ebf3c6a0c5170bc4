package dev.nightjar.auth.acquirer;

/** What an acquirer said about an authorization. */
public sealed interface AcquirerResult {

    /** Funds held (and, for a sale, captured). */
    record Approved(String networkReference, String authorizationCode, boolean captured) implements AcquirerResult {
    }

    /** The issuer refused. */
    record Declined(String networkReference, String declineCode) implements AcquirerResult {
    }

    /**
     * The acquirer failed for certain, or was never called: nothing is held, another acquirer may be tried.
     * {@code tried} is false when no connection to the acquirer was even attempted (a full bulkhead, an open
     * breaker, no turn for a TLS handshake, no card from the vault): such a failure says nothing about the
     * acquirer's health, and its reason begins with {@link #NOT_CALLED}. {@code sent} is false when nothing
     * reached the acquirer (never tried, or no connection made): the same attempt may be sent again later.
     */
    record Failed(String reason, boolean tried, boolean sent) implements AcquirerResult {

        /** How the reason of a failure that never reached the acquirer begins. */
        public static final String NOT_CALLED = "not called: ";

        /** A failure after the acquirer was sent the request: it answered an error. */
        public Failed(String reason) {
            this(reason, true, true);
        }

        /** A failure before the acquirer was tried. */
        public static Failed notTried(String why) {
            return new Failed(NOT_CALLED + why, false, false);
        }

        /** A failure to connect to the acquirer at all: tried (its health counts it), but nothing was sent. */
        public static Failed unreachable() {
            return new Failed("acquirer unreachable", true, false);
        }
    }

    /** No answer in time: the funds may or may not be held. Never retried elsewhere. */
    record Unknown(String reason) implements AcquirerResult {
    }
}
