package dev.nightjar.acquirer;

import dev.nightjar.contracts.contract.AcquirerProtocol.TestCard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The simulated network's test cards (API.md): what happens to each. Any other valid card is approved. */
final class TestCards {

    static final String APPROVED = "approved";
    static final String DECLINED = "declined";
    static final String ERROR = "error";
    static final String TIMEOUT = "timeout";

    private static final Map<String, TestCard> BY_NUMBER = new LinkedHashMap<>();

    static {
        add("4242424242424242", "visa", APPROVED, null, "approved");
        add("5555555555554444", "mastercard", APPROVED, null, "approved");
        add("378282246310005", "amex", APPROVED, null, "approved");
        add("4000000000000002", "visa", DECLINED, "do_not_honor", "declined: do not honor");
        add("4000000000009995", "visa", DECLINED, "insufficient_funds", "declined: insufficient funds");
        add("4000000000009987", "visa", DECLINED, "lost_card", "declined: lost card");
        add("4000000000009979", "visa", DECLINED, "stolen_card", "declined: stolen card");
        add("4000000000000069", "visa", DECLINED, "expired_card", "declined: expired card");
        add("4000000000000127", "visa", DECLINED, "incorrect_cvc", "declined: incorrect CVC");
        add("4000000000000119", "visa", ERROR, null, "acquirer processing error");
        add("4000000000000259", "visa", TIMEOUT, null, "acquirer times out, then approves");
        add("4000000000004954", "visa", APPROVED, null, "approved by the network; Nightjar's risk engine holds it for review");
        add("4100000000000019", "visa", APPROVED, null, "approved by the network; Nightjar's risk engine blocks it");
    }

    private TestCards() {
    }

    private static void add(String number, String brand, String outcome, String declineCode, String description) {
        BY_NUMBER.put(number, new TestCard(number, brand, outcome, declineCode, description));
    }

    static Optional<TestCard> find(String number) {
        return Optional.ofNullable(BY_NUMBER.get(number));
    }

    static List<TestCard> all() {
        return List.copyOf(BY_NUMBER.values());
    }
}
