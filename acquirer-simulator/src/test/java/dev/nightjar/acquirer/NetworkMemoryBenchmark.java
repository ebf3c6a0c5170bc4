package dev.nightjar.acquirer;

import dev.nightjar.contracts.contract.AcquirerProtocol.AuthorizationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.unit.DataSize;

/**
 * How much heap the network's records take, in memory (no journal), after full collections: first the given
 * number of imported captures, then the given number of sales (authorized and captured at once, each with its
 * hold), under the local platform's bound of 150,000 records. Captures and sales past the bound that no batch
 * has taken are set aside rather than forgotten, so {@code 150000 150000} shows what a full set-aside adds to
 * {@code 0 150000}.
 *
 * <p>Run (see docs/settlement.md): {@code NetworkMemoryBenchmark CAPTURES SALES}.
 */
public final class NetworkMemoryBenchmark {

    private NetworkMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int captures = Integer.parseInt(args[0]);
        int sales = Integer.parseInt(args[1]);
        String merchant = "mer_01M94A5H7M2SWZ29HCVZ3MR5AN";
        try (SimulatedNetwork network = new SimulatedNetwork(new SimulatorProperties("acquirer-a", Duration.ofMillis(1),
                150_000, Duration.ZERO, Duration.ZERO, 90, null, DataSize.ofMegabytes(64)))) {
            for (int batch = 0; batch * 10_000 < captures; batch++) {
                List<SimulatedNetwork.ImportedRecord> records = new ArrayList<>();
                for (int i = batch * 10_000; i < Math.min(captures, (batch + 1) * 10_000); i++) {
                    records.add(new SimulatedNetwork.ImportedRecord("je_01M94A5H7M2SWZ29HCV" + i, "nwb_bench_" + i,
                            "capture", merchant, 1_000 + i % 1_000, "EUR"));
                }
                network.importRecords(records);
            }
            for (int i = 0; i < sales; i++) {
                network.authorize(new AuthorizationRequest("ath_01M94A5H7M2SWZ29HCV" + i, merchant, 1_000, "EUR",
                        "4242424242424242", 12, 2030, "123", true));
            }
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("%,d captures, then %,d sales: %d MB of heap in use%n", captures, sales,
                    (runtime.totalMemory() - runtime.freeMemory()) >> 20);
        }
    }
}
