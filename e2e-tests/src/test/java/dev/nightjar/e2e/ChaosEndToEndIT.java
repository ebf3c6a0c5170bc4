package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.chaos.Chaos;
import dev.nightjar.platform.chaos.ChaosOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The short chaos run ({@code ./nightjar chaos --short}) on the test fleet: open-loop payments over both
 * shards while acquirer-a goes down and transaction-service, auth-service, the gateway, the Kafka broker and
 * PostgreSQL are each killed with SIGKILL and brought back by the platform's own {@code up}. After each
 * fault: no acknowledged payment lost, none charged twice or charged for nothing at the simulators, the
 * ledger check clean, every final state announced once by webhook, the clients never saw a 500 or a 503
 * without Retry-After, every request was answered within 10 s and every acknowledged payment was final within
 * 60 s of the broken part's return.
 */
@ExtendWith(Fleet.class)
@Order(Integer.MAX_VALUE) // last of the classes sharing the fleet: junit-platform.properties
class ChaosEndToEndIT {

    /** Whatever the run found, the fleet the other test classes share is whole again afterwards. */
    @AfterAll
    static void bringTheFleetBack() {
        Fleet.running().platform().bringBack();
    }

    @Test
    void theShortChaosRunLosesNothingChargesNothingTwiceAndAnswersInTimeAfterEveryFault() throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new TeeStream(report, System.out), true, StandardCharsets.UTF_8);
        Chaos.Result result = new Chaos(Fleet.running().platform(), out).runAndReport(ChaosOptions.parse(List.of("--short")));
        String printed = report.toString(StandardCharsets.UTF_8);
        for (String fault : List.of("acquirer-a-outage", "kill-transaction-service", "kill-auth-service",
                "kill-gateway-service", "kill-kafka", "kill-postgresql")) {
            assertThat(result.table()).as("a row for " + fault).containsPattern("(?m)^" + fault + " ");
        }
        // Every money and state invariant, every answer a 2xx, a 4xx or a 503 with Retry-After ...
        assertThat(result.safe()).as(printed).isTrue();
        // ... and in time: no answer after 10 s or never, no payment final later than 60 s after the return.
        assertThat(result.held()).as(printed).isTrue();
    }
}
