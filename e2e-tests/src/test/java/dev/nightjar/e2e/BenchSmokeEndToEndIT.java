package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.shard.ShardRouter;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.MerchantApi;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.TestCards;
import dev.nightjar.platform.bench.OpenLoopBenchmark;
import dev.nightjar.platform.bench.OpenLoopOptions;
import dev.nightjar.platform.bench.PaymentPathWarmUp;
import dev.nightjar.platform.process.PidFile;
import dev.nightjar.platform.process.Poll;
import dev.nightjar.platform.process.Processes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A short run of {@code ./nightjar bench --rate} on the test fleet proves the command works: two windows
 * ({@code --repeat 2}) each with the platform's age and the services' JIT compile time, every scheduled
 * payment is accounted for, payments are created, the CPU table names the fleet's processes, the databases'
 * statements and commits per payment are read, the PostgreSQL bound is measured (or says why not), and neither
 * the printout nor the JSON holds a card number; {@code --rate 0} prints the platform at rest; and the payments
 * {@code ./nightjar up} warms the path with are made by merchants of their own; each window runs on from a lead-in at
 * its rate, whose payments the databases' figures count with the window's. Not a timed test: no figure is asserted.
 */
@ExtendWith(Fleet.class)
class BenchSmokeEndToEndIT {

    @Test
    void aShortOpenLoopRunAccountsForEveryPaymentAndEveryProcess(@TempDir Path directory) throws Exception {
        Path json = directory.resolve("bench.json");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Platform platform = Fleet.running().platform();
        // a full collection of the gateway's, asked for as soon as the first window starts (the bench prints
        // "measuring" once the databases' counters have settled): the bench must find it in the gateway's GC log
        int exit;
        try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> collection = background.submit(() -> {
                Poll.until("the bench's first window", Duration.ofMinutes(2),
                        () -> printed.toString(StandardCharsets.UTF_8).contains("measuring: window 1"));
                ProcessHandle gateway = new PidFile(platform.layout().pid("gateway-service")).live().orElseThrow();
                Processes.run(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(gateway.pid()), "GC.run"), directory, directory.resolve("jcmd.log"));
            });
            exit = new OpenLoopBenchmark(platform, new PrintStream(printed, true, StandardCharsets.UTF_8))
                    .run(OpenLoopOptions.parse(List.of("--rate", "4", "--seconds", "5", "--warmup", "0", "--repeat", "2",
                            "--lead-in", "2", "--json", json.toString(), "--bound-seconds", "2")));
            Poll.await(collection);
        }

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        JsonNode report = Json.MAPPER.readTree(json.toFile());
        JsonNode steps = report.path("steps");
        assertThat(steps.size()).as("--repeat 2 measures two windows: " + output).isEqualTo(2);
        assertThat(output).as(output).contains("window 2 of 2", "windows:", "JIT: the services compiled for");
        for (JsonNode window : steps) {
            assertThat(window.path("platform_age_seconds").asDouble()).as(output).isPositive();
            assertThat(window.path("compile_seconds").has("gateway-service"))
                    .as("each service's compile time read from Prometheus: " + output).isTrue();
        }
        assertThat(steps.get(1).path("platform_age_seconds").asDouble()).as("the second window began later")
                .isGreaterThan(steps.get(0).path("platform_age_seconds").asDouble());
        JsonNode step = steps.get(0);
        assertThat(step.path("scheduled").asLong()).as(output).isEqualTo(20);
        long accounted = 0;
        for (JsonNode count : step.path("http_statuses")) {
            accounted += count.asLong();
        }
        assertThat(accounted).as("every scheduled payment has an answer, or is counted as none").isEqualTo(20);
        assertThat(step.path("payments_created").asLong()).as(output).isPositive();
        JsonNode leadIn = step.path("lead_in");
        assertThat(leadIn.path("answered").asLong()).as("2 s at 4/s before the window, answered apart from it: " + output)
                .isEqualTo(8);
        assertThat(step.path("database").path("payments").asLong())
                .as("the databases' figures count the lead-in's payments with the window's: " + output)
                .isEqualTo(step.path("payments_created").asLong() + leadIn.path("payments_created").asLong());
        assertThat(output).contains("lead-in: 2 s at 4/s, running on into the window", "lead-in          2 s at the same rate");
        List<String> processes = new ArrayList<>();
        step.path("cpu").path("processes").forEach(row -> processes.add(row.path("process").asString()));
        assertThat(processes).as(output).contains("gateway-service", "transaction-service", "auth-service", "kafka");
        assertThat(processes).as("PostgreSQL counted too").anyMatch(name -> name.contains("postgres") || name.contains("shard"));
        List<String> busiest = new ArrayList<>();
        step.path("busiest_threads").forEach(row -> busiest.add(row.path("process").asString() + " "
                + row.path("thread").asString()));
        assertThat(busiest).as("the busiest threads, read from /proc: " + output).isNotEmpty()
                .anyMatch(thread -> thread.contains("-service "));
        assertThat(output).contains("busiest threads");
        List<String> fullCollections = new ArrayList<>();
        steps.forEach(window -> window.path("gc_pauses").path("full").forEach(full -> fullCollections.add(
                full.path("process").asString() + " " + full.path("kind").asString())));
        assertThat(fullCollections).as("the gateway's full collection, read from its GC log: " + output)
                .contains("gateway-service Pause Full (Diagnostic Command)");
        assertThat(output).contains("full collection: gateway-service, Pause Full (Diagnostic Command)");
        JsonNode database = step.path("database");
        assertThat(database.path("note").isNull()).as("pg_stat_statements read: " + output).isTrue();
        assertThat(database.path("statements_per_payment").asDouble()).as(output).isPositive();
        assertThat(database.path("commits_per_payment").asDouble()).as(output).isPositive();
        assertThat(database.path("backend_cpu_millis_per_payment").asDouble()).as("the backends' CPU read: " + output)
                .isPositive();
        List<String> databases = new ArrayList<>();
        database.path("databases").forEach(row -> databases.add(row.path("database").asString()));
        assertThat(databases).as(output).contains("gateway", "vault", "auth");
        JsonNode machine = report.path("machine_work");
        assertThat(machine.path("best_millis").asDouble()).as("the machine's speed, timed: " + output).isPositive();
        assertThat(output).contains("machine: a fixed piece of work took");
        JsonNode bound = report.path("postgres_bound");
        if (dev.nightjar.platform.bench.PostgresBound.pgbenchInstalled()) {
            assertThat(bound.path("write_sets_per_second").asDouble()).as(output).isPositive();
        } else {
            assertThat(bound.path("note").asString()).as(output).contains("pgbench not found");
        }

        TestCards cards = TestCards.of(Fleet.running().platform());
        List<String> numbers = List.of(cards.require("approved", "visa"), cards.require("approved", "mastercard"),
                cards.require("declined", "visa"));
        assertThat(CardNumberScan.leaks("the printout", output, numbers)).isEmpty();
        assertThat(CardNumberScan.leaks("the JSON", Files.readString(json), numbers)).isEmpty();
    }

    @Test
    void upsWarmUpPaysThroughTwoMerchantsOfItsOwnOneOnEachShardWithNoCardForReview() throws Exception {
        Platform platform = Fleet.running().platform();

        PaymentPathWarmUp.Outcome outcome = PaymentPathWarmUp.run(platform, Duration.ofSeconds(2), 5);

        assertThat(outcome.sent()).as(outcome.toString()).isEqualTo(10);
        assertThat(outcome.answered()).as(outcome.toString()).isEqualTo(10);
        assertThat(outcome.created()).as(outcome.toString()).isPositive();
        assertThat(outcome.outcomes()).as("approved and declined cards only: " + outcome).containsOnlyKeys("approved", "declined");
        assertThat(outcome.merchantIds()).as(outcome.toString()).hasSize(2)
                .doesNotContain(platform.demoMerchant().orElseThrow().merchantId());
        ShardRouter router = new ShardRouter(2);
        assertThat(outcome.merchantIds().stream().map(router::shardOf)).as("one merchant on each shard")
                .containsExactlyInAnyOrder(0, 1);

        Path kept = platform.layout().warmUpMerchantsFile();
        assertThat(Files.getPosixFilePermissions(kept)).as("the merchants' secrets are the owner's alone")
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        PaymentPathWarmUp.Outcome again = PaymentPathWarmUp.run(platform, Duration.ofSeconds(1), 5);
        assertThat(again.merchantIds()).as("the next warm-up pays through the same two merchants: " + again)
                .containsExactlyElementsOf(outcome.merchantIds());
        assertThat(again.created()).as(again.toString()).isPositive();

        // Merchants that no longer sign in (a database wiped under a kept file) give way to new ones, kept instead.
        Files.writeString(kept, Json.MAPPER.writeValueAsString(List.of(
                new MerchantApi.Credentials("mer_gone_0", "cli_gone_0", "secret"),
                new MerchantApi.Credentials("mer_gone_1", "cli_gone_1", "secret"))));
        PaymentPathWarmUp.Outcome replaced = PaymentPathWarmUp.run(platform, Duration.ofSeconds(1), 5);
        assertThat(replaced.merchantIds()).as(replaced.toString()).hasSize(2).doesNotContain("mer_gone_0", "mer_gone_1");
        assertThat(Files.readString(kept)).as("the new merchants kept in their place")
                .contains(replaced.merchantIds()).doesNotContain("mer_gone_0");
    }

    @Test
    void aRunAtRestPrintsEveryProcessPerSecondAndTheDatabasesWorkPerSecond() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int exit = new OpenLoopBenchmark(Fleet.running().platform(), new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(OpenLoopOptions.parse(List.of("--rate", "0", "--seconds", "2")));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output).as(output).contains("at rest: nothing sent for 2 s", "machine: a fixed piece of work took",
                        "CPU ms/s", "busiest threads", "  GC: ")
                .doesNotContain("payments created", "warming up");
        List<String> lines = output.lines().toList();
        int threadsHeading = lines.indexOf(lines.stream().filter(line -> line.contains("THREADS")).findFirst().orElseThrow());
        assertThat(lines.get(threadsHeading + 1)).as("the idle platform's busiest thread group, per second: " + output)
                .matches("\\s+\\S+.*\\s\\d+\\.\\d\\s+\\d+\\.\\d");
        for (String process : List.of("gateway-service", "transaction-service", "auth-service", "kafka",
                "platform, all processes")) {
            assertThat(output.lines().filter(line -> line.strip().startsWith(process)).findFirst())
                    .as(process + " has a row with figures: " + output)
                    .hasValueSatisfying(line -> assertThat(line).matches(".*\\d+\\.\\d\\s+\\d+\\.\\d\\s*"));
        }
        assertThat(output).as("pg_stat_statements read: " + output)
                .containsPattern("databases, per second over \\d+\\.\\d s: \\d+\\.\\d statements, \\d+\\.\\d commits");
    }
}
