package dev.nightjar.deploy.chart;

import java.util.Arrays;
import java.util.List;

/** One way the chart is rendered: a profile, with the Istio mesh on or off. */
public record Combination(Profile profile, boolean istioEnabled) {

    /** Every profile with Istio off and on: the renders every chart test runs over. */
    public static List<Combination> all() {
        return Arrays.stream(Profile.values())
                .flatMap(profile -> List.of(new Combination(profile, false), new Combination(profile, true)).stream())
                .toList();
    }

    @Override
    public String toString() {
        return profile.name().toLowerCase() + (istioEnabled ? "+istio" : "");
    }
}
