package dev.nightjar.auth.acquirer;

/** One acquirer protocol. Implementations never log or keep the card number they are given. */
public interface AcquirerConnector {

    /** The acquirer's name, as configured and as recorded on attempts. */
    String name();

    /** Authorizes (and captures when {@code capture}) under {@code reference}, which the acquirer deduplicates on. */
    AcquirerResult authorize(String reference, String merchantId, long amountMinor, String currency, Card card, boolean capture);

    /** The card for one call, in memory only. */
    record Card(String number, int expMonth, int expYear, String cvc) {

        @Override
        public String toString() {
            return "Card[(redacted)]";
        }
    }
}
