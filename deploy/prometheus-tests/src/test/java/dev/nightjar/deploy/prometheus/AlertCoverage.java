package dev.nightjar.deploy.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * What the promtool tests leave untested: every alert, at each severity it is defined with, must be expected to
 * fire by some test, and every alert must be expected to stay silent by some other (a low-traffic case, a blip,
 * a burn that stopped). A new alert without tests shows up here.
 */
final class AlertCoverage {

    private AlertCoverage() {
    }

    /** One line per gap, naming the alert; empty when every alert is tested both ways. */
    static List<String> gaps(List<AlertRule> alerts, List<AlertExpectation> expectations) {
        List<String> gaps = new ArrayList<>();
        for (AlertRule alert : alerts) {
            boolean firesAtItsSeverity = expectations.stream().anyMatch(expectation ->
                    expectation.alertname().equals(alert.name()) && expectation.firingSeverities().contains(alert.severity()));
            if (!firesAtItsSeverity) {
                gaps.add(alert.name() + " (severity " + alert.severity() + ", " + alert.file().getFileName()
                        + "): no promtool test expects it to fire");
            }
        }
        alerts.stream().map(AlertRule::name).distinct().forEach(name -> {
            boolean silentSomewhere = expectations.stream().anyMatch(expectation ->
                    expectation.alertname().equals(name) && expectation.expectsSilence());
            if (!silentSomewhere) {
                gaps.add(name + ": no promtool test expects it to stay silent");
            }
        });
        return gaps;
    }
}
