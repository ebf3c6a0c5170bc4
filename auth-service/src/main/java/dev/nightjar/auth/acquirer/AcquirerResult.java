package dev.nightjar.auth.acquirer;

/** What an acquirer said about an authorization. */
public sealed interface AcquirerResult {

    /** Funds held (and, for a sale, captured). */
    record Approved(String networkReference, String authorizationCode, boolean captured) implements AcquirerResult {
    }

    /** The issuer refused. */
    record Declined(String networkReference, String declineCode) implements AcquirerResult {
    }

    /** The acquirer failed for certain, or was never called: nothing is held, another acquirer may be tried. */
    record Failed(String reason) implements AcquirerResult {
    }

    /** No answer in time: the funds may or may not be held. Never retried elsewhere. */
    record Unknown(String reason) implements AcquirerResult {
    }
}
