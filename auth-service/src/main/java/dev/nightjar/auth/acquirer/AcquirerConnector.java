package dev.nightjar.auth.acquirer;

import dev.nightjar.common.http.ConnectionWarmUp;
import java.util.Optional;

/**
 * One acquirer protocol. Every call carries Nightjar's reference, which the acquirer deduplicates on.
 * Implementations never log or keep the card number they are given.
 */
public interface AcquirerConnector {

    /** The acquirer's name, as configured and as recorded on operations. */
    String name();

    /** The connections to open to the acquirer before the first request, if any ({@link ConnectionWarmUp}). */
    default Optional<ConnectionWarmUp.Target> warmUp() {
        return Optional.empty();
    }

    /** Authorizes (and captures when {@code capture}). */
    AcquirerResult authorize(String reference, String merchantId, long amountMinor, String currency, Card card, boolean capture);

    /** Captures {@code amountMinor} of the authorization with network reference {@code authorization}. */
    AcquirerResult capture(String reference, String authorization, long amountMinor, String currency);

    /** Releases the authorization. */
    AcquirerResult voidAuthorization(String reference, String authorization);

    /** Refunds {@code amountMinor} of what the authorization captured. */
    AcquirerResult refund(String reference, String authorization, long amountMinor, String currency);

    /** The card for one call, in memory only. */
    record Card(String number, int expMonth, int expYear, String cvc) {

        @Override
        public String toString() {
            return "Card[(redacted)]";
        }
    }
}
