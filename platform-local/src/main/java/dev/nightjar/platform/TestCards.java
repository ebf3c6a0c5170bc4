package dev.nightjar.platform;

import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.json.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The test cards as the running acquirer simulator lists them: the platform's tools ask it rather than carry
 * card numbers of their own.
 */
public final class TestCards {

    private final List<Map<String, Object>> cards;

    private TestCards(List<Map<String, Object>> cards) {
        this.cards = List.copyOf(cards);
    }

    /** acquirer-a's list; IllegalStateException when it cannot be read. */
    @SuppressWarnings("unchecked")
    public static TestCards of(Platform platform) {
        String url = url(platform);
        try {
            HttpResponse<String> response = new PlatformClient(platform.layout()).get(url, Duration.ofSeconds(10));
            return new TestCards(Json.MAPPER.readValue(response.body(), List.class));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the test cards from " + url + ": " + e.getMessage(), e);
        }
    }

    static String url(Platform platform) {
        return "https://localhost:" + platform.layout().ports().service(FleetMember.ACQUIRER_A) + AcquirerProtocol.TEST_CARDS;
    }

    /** The first card with this outcome ({@code approved}, {@code declined}, {@code timeout}, ...) and brand. */
    public Optional<String> first(String outcome, String brand) {
        return cards.stream()
                .filter(card -> outcome.equals(card.get("outcome")) && brand.equals(card.get("brand")))
                .map(card -> (String) card.get("number"))
                .findFirst();
    }

    /**
     * The first card with this outcome and brand whose description mentions {@code words}: the risk engine's
     * review card is an approved card to the network, told apart from the others only by its description.
     */
    public Optional<String> firstDescribedAs(String outcome, String brand, String words) {
        return cards.stream()
                .filter(card -> outcome.equals(card.get("outcome")) && brand.equals(card.get("brand")))
                .filter(card -> card.get("description") instanceof String description
                        && description.toLowerCase(java.util.Locale.ROOT).contains(words.toLowerCase(java.util.Locale.ROOT)))
                .map(card -> (String) card.get("number"))
                .findFirst();
    }

    /** The same, for a card that must be there. */
    public String require(String outcome, String brand) {
        return first(outcome, brand).orElseThrow(() -> new IllegalStateException("the simulator lists no "
                + outcome + " " + brand + " test card"));
    }
}
