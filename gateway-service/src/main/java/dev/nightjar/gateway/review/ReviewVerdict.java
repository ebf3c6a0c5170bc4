package dev.nightjar.gateway.review;

import jakarta.persistence.EnumeratedValue;
import java.util.Arrays;

/** What a reviewer decided about a held payment; the wire string is what the API's path and the database say. */
public enum ReviewVerdict {
    APPROVE("approve"),
    REJECT("reject");

    @EnumeratedValue
    final String wire;

    ReviewVerdict(String wire) {
        this.wire = wire;
    }

    public static ReviewVerdict of(String wire) {
        return Arrays.stream(values()).filter(verdict -> verdict.wire.equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a review decision: " + wire));
    }
}
