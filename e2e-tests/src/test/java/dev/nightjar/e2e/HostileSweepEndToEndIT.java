package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hostile sweep generated from docs/openapi.json (see {@link HostileRequests}): a few thousand broken requests
 * against every operation of the real fleet, each answer held to the contract, over HTTP/1.1 byte for byte and
 * again over HTTP/2 for every probe HTTP/2 can carry; then every other port of the
 * fleet; then every file the platform wrote (logs, PostgreSQL's tables and write-ahead log, Kafka's segments),
 * which must hold none of the card numbers typed into free text. Seeded: every run sends the same requests.
 * The reports land in target/hostile-sweep-*.txt.
 */
@ExtendWith(Fleet.class)
class HostileSweepEndToEndIT {

    private static final long SEED = 20_261_129L;
    private static final List<String> FREE_TEXT_CARDS = HostileSweep.freeTextCards(SEED);

    private static HostileSweep.Report api;
    private static HostileSweep.Report apiOverHttp2;
    private static HostileSweep.Report ports;

    @BeforeAll
    static void sweep() {
        api = HostileSweep.merchantApi(Fleet.running(), SEED, FREE_TEXT_CARDS);
        HostileSweep.save(api, "hostile-sweep-merchant-api");
        apiOverHttp2 = HostileSweep.merchantApiOverHttp2(Fleet.running(), SEED, FREE_TEXT_CARDS);
        HostileSweep.save(apiOverHttp2, "hostile-sweep-merchant-api-http2");
        ports = HostileSweep.otherPorts(Fleet.running());
        HostileSweep.save(ports, "hostile-sweep-other-ports");
    }

    @Test
    void everyAnswerOfTheMerchantApiToAHostileRequestKeepsTheContract() {
        assertThat(api.requestsByOperation()).as("every documented operation was swept").hasSizeGreaterThanOrEqualTo(15);
        assertThat(api.requests()).isGreaterThan(1500);
        assertThat(api.findings()).as(api.summary()).isEmpty();
    }

    @Test
    void everyAnswerOverHttp2KeepsTheContractToo() {
        assertThat(apiOverHttp2.requestsByOperation()).as("every documented operation was swept over HTTP/2")
                .hasSizeGreaterThanOrEqualTo(15);
        assertThat(apiOverHttp2.requests()).as("most probes have an HTTP/2 form").isGreaterThan(api.requests() / 2);
        assertThat(apiOverHttp2.findings()).as(apiOverHttp2.summary()).isEmpty();
    }

    @Test
    void everyOtherPortOfTheFleetAnswersHostileRequestsWithTheContractsErrors() {
        assertThat(ports.findings()).as(ports.summary()).isEmpty();
    }

    @Test
    void noCardNumberTypedIntoFreeTextRestsInAnyFileThePlatformWrote() {
        Path state = Fleet.running().platform().layout().state();
        CardNumberScan.FileScan control = CardNumberScan.find(state, List.of(HostileSweep.MARKER));
        assertThat(control.leaks()).as("the scan reads the write-ahead log and Kafka's segments")
                .anyMatch(where -> where.startsWith("postgres")).anyMatch(where -> where.startsWith("kafka"));
        java.time.Instant start = java.time.Instant.now();
        CardNumberScan.FileScan scan = CardNumberScan.files(state, FREE_TEXT_CARDS);
        System.out.printf("scanned %d files, %d bytes, in %d ms%n", scan.files(), scan.bytes(),
                java.time.Duration.between(start, java.time.Instant.now()).toMillis());
        assertThat(scan.leaks()).as("%d files, %d bytes read", scan.files(), scan.bytes()).isEmpty();
    }
}
