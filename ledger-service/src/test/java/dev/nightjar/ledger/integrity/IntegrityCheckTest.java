package dev.nightjar.ledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.shard.ShardProperties;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.contract.PaymentStatus;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.ledger.journal.Bookkeeping;
import dev.nightjar.ledger.journal.FeeSchedule;
import dev.nightjar.ledger.journal.Journal;
import dev.nightjar.testsupport.MovableClock;
import dev.nightjar.testsupport.TestPostgres;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The integrity check walks the whole journal or only what was appended since its last clean walk, on a real
 * shard with entries the ledger's own journal wrote; forgeries are made with the owner's rights, the append-only
 * trigger switched off, as someone behind the service's back would have to.
 */
class IntegrityCheckTest {

    private static final Duration FULL_EVERY = Duration.ofHours(24);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private TestPostgres.TestDatabase database;
    private Shards shards;
    private Journal journal;
    private IntegrityCheck check;
    private long offset;
    private final AtomicLong paceNanos = new AtomicLong();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openShard() {
        database = TestPostgres.database("ledger_integrity_check_" + DATABASES.incrementAndGet(), "ledger");
        shards = Shards.open(new ShardProperties(List.of(database.url()), database.appRole(), database.password(),
                database.ownerRole(), database.password(), 2, Duration.ofSeconds(3), List.of("classpath:db/migration"),
                Map.of()), "integrity-check-test");
        journal = new Journal(shards, new Bookkeeping(new FeeSchedule(140, Map.of("EUR", 25L), Map.of())));
        // the scheduled pace's clock moves 60 ms each time it is read: every look at it ends a stretch of work
        Pace scheduledPace = new Pace(0.25, () -> paceNanos.addAndGet(60_000_000L), duration -> pauses.add(duration));
        check = new IntegrityCheck(shards, new IntegrityGauges(meters, clock), clock, FULL_EVERY, scheduledPace);
    }

    @AfterEach
    void closeShard() {
        shards.close();
    }

    @Test
    void anIncrementalCheckReadsOnlyWhatWasAppendedSinceTheLastCleanCheckAndAgreesWithAFullWalk() {
        book(3);
        IntegrityCheck.Report first = check.run(true);
        assertThat(first.ok()).isTrue();
        assertThat(first.full()).isTrue();
        IntegrityCheck.ShardReport before = first.shards().get(0);
        assertThat(before.entries()).isEqualTo(before.entriesWalked()).isEqualTo(journalEntries()).isPositive();

        book(2);
        IntegrityCheck.Report incremental = check.run(false);
        IntegrityCheck.ShardReport since = incremental.shards().get(0);
        assertThat(incremental.ok()).as(incremental.findings().toString()).isTrue();
        assertThat(incremental.full()).isFalse();
        assertThat(since.walkedFromSequence()).isEqualTo(before.lastSequence() + 1);
        assertThat(since.entriesWalked()).isEqualTo(journalEntries() - before.entries()).isPositive();

        IntegrityCheck.Report full = check.run(true);
        IntegrityCheck.ShardReport all = full.shards().get(0);
        assertThat(full.ok()).isTrue();
        assertThat(since.entries()).isEqualTo(all.entries()).isEqualTo(journalEntries());
        assertThat(since.lastSequence()).isEqualTo(all.lastSequence());
        assertThat(since.postingTotals()).isEqualTo(all.postingTotals()).isNotEmpty();
        assertThat(incremental.totalsByCurrency()).isEqualTo(full.totalsByCurrency());
        assertThat(since.accounts()).isEqualTo(all.accounts());
    }

    @Test
    void anIncrementalCheckFindsANewEntryForgedAndABalanceNoPostingExplains() {
        book(2);
        assertThat(check.run(true).ok()).isTrue();
        book(1);
        long newest = lastSequence();
        forge(newest, +1);
        try {
            IntegrityCheck.Report forged = check.run(false);
            assertThat(forged.ok()).isFalse();
            assertThat(forged.full()).isFalse();
            assertThat(forged.findings()).anyMatch(finding -> finding.contains("(sequence " + newest + ") was changed after it was written"));
        } finally {
            forge(newest, -1);
        }
        assertThat(check.run(false).ok()).as("the entry put back").isTrue();

        owner().sql("UPDATE accounts SET balance_minor = balance_minor + 1 WHERE code = (SELECT min(code) FROM accounts)").update();
        IntegrityCheck.Report unexplained = check.run(false);
        assertThat(unexplained.ok()).isFalse();
        assertThat(unexplained.shards().get(0).entriesWalked()).as("nothing appended since").isZero();
        assertThat(unexplained.findings()).anyMatch(finding -> finding.contains("has balance"));
    }

    @Test
    void aScheduledCheckWalksInFullWhenDueAndAgainAfterEveryFullWalkThatFoundSomething() {
        book(2);
        IntegrityCheck.Report start = check.runScheduled();
        assertThat(start.full()).as("nothing verified since the start").isTrue();
        assertThat(start.ok()).isTrue();
        double firstFullWalk = lastFullRun();
        assertThat(firstFullWalk).isEqualTo(clock.instant().getEpochSecond());

        // an old entry forged after it was verified: the hourly checks read only what is new
        forge(1, +1);
        try {
            clock.advance(Duration.ofHours(1));
            book(1);
            IntegrityCheck.Report hourly = check.runScheduled();
            assertThat(hourly.full()).isFalse();
            assertThat(hourly.shards().get(0).walkedFromSequence()).isGreaterThan(1);
            assertThat(lastFullRun()).isEqualTo(firstFullWalk);

            // a day after the last full walk the next one reads every entry again and finds it
            clock.advance(FULL_EVERY);
            IntegrityCheck.Report daily = check.runScheduled();
            assertThat(daily.full()).isTrue();
            assertThat(daily.ok()).isFalse();
            assertThat(daily.findings()).anyMatch(finding -> finding.contains("(sequence 1) was changed after it was written"));
            assertThat(meters.scrape()).contains("nightjar_ledger_integrity_ok 0.0");

            // and the checks after it keep walking in full, so the finding stays reported until it is put right
            clock.advance(Duration.ofHours(1));
            IntegrityCheck.Report after = check.runScheduled();
            assertThat(after.full()).isTrue();
            assertThat(after.ok()).isFalse();
        } finally {
            forge(1, -1);
        }
        clock.advance(Duration.ofHours(1));
        IntegrityCheck.Report repaired = check.runScheduled();
        assertThat(repaired.full()).isTrue();
        assertThat(repaired.ok()).isTrue();
        assertThat(lastFullRun()).isEqualTo(clock.instant().getEpochSecond());
        clock.advance(Duration.ofHours(1));
        assertThat(check.runScheduled().full()).as("clean again: back to incremental").isFalse();
    }

    @Test
    void anOperatorsFullWalkThatFindsSomethingMakesTheScheduledChecksWalkInFullUntilItIsPutRight() {
        book(2);
        assertThat(check.runScheduled().full()).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(check.runScheduled().full()).as("the last full walk an hour old").isFalse();

        forge(1, +1);
        try {
            IntegrityCheck.Report operators = check.run();
            assertThat(operators.full()).isTrue();
            assertThat(operators.ok()).isFalse();

            clock.advance(Duration.ofHours(1));
            IntegrityCheck.Report scheduled = check.runScheduled();
            assertThat(scheduled.full()).as("nothing verified to start from").isTrue();
            assertThat(scheduled.ok()).isFalse();
            assertThat(meters.scrape()).contains("nightjar_ledger_integrity_ok 0.0");
        } finally {
            forge(1, -1);
        }
    }

    @Test
    void aScheduledWalkPausesBetweenStretchesOfWorkAndAnOperatorsCheckDoesNot() {
        book(600);
        IntegrityCheck.Report scheduled = check.runScheduled();
        assertThat(scheduled.full()).isTrue();
        assertThat(scheduled.ok()).isTrue();
        // 600 entries read: a look at the pace every 256 rows, each after a stretch of 60 ms, paused for three times that
        assertThat(pauses).containsExactly(Duration.ofMillis(180), Duration.ofMillis(180));

        assertThat(check.run().ok()).isTrue();
        assertThat(pauses).as("the operator's check at full speed").hasSize(2);
    }

    /** Books {@code payments} automatic captures through the ledger's own journal, in one batch. */
    private void book(int payments) {
        List<Journal.Consumed> batch = new java.util.ArrayList<>();
        for (int i = 0; i < payments; i++) {
            String paymentId = "pay_" + offset;
            PaymentEvent payment = new PaymentEvent(paymentId, "mer_integrity", PaymentStatus.CAPTURED, "automatic", 1_000 + offset,
                    "EUR", 0, 1_000 + offset, 0, 1_000 + offset, null, "acquirer-a", "nw", null, null, "visa", "4242", "fp",
                    10, RiskDecision.ALLOW, Instant.now(), Instant.now(), null, null);
            EventEnvelope<PaymentEvent> event = new EventEnvelope<>("evt_" + offset, "payment.captured", 1, Instant.now(),
                    "mer_integrity", null, payment);
            batch.add(new Journal.Consumed(event, "payment-events", 0, offset++));
        }
        journal.record(shards.all().get(0), "integrity-test", batch, () -> { });
    }

    /** Moves one cent between the first two postings of the entry at {@code sequence}: still balanced. */
    private void forge(long sequence, int cents) {
        JdbcClient owner = owner();
        owner.sql("ALTER TABLE journal_entries DISABLE TRIGGER journal_entries_append_only").update();
        try {
            owner.sql("UPDATE journal_entries SET posting_amounts = ARRAY[posting_amounts[1] + :c, posting_amounts[2] - :c]"
                    + " || posting_amounts[3:] WHERE sequence = :s").param("c", cents).param("s", sequence).update();
        } finally {
            owner.sql("ALTER TABLE journal_entries ENABLE TRIGGER journal_entries_append_only").update();
        }
    }

    private JdbcClient owner() {
        return JdbcClient.create(database.owner());
    }

    private long journalEntries() {
        return owner().sql("SELECT count(*) FROM journal_entries").query(Long.class).single();
    }

    private long lastSequence() {
        return owner().sql("SELECT max(sequence) FROM journal_entries").query(Long.class).single();
    }

    private double lastFullRun() {
        return meters.get("nightjar.ledger.integrity.last_full_run_timestamp_seconds").gauge().value();
    }
}
