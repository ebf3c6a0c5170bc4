#!/usr/bin/env bash
# What one statement costs on the local platform's PostgreSQL, by how often its backend is woken, and what
# the CHECK constraints of `payments` add to a write (docs/performance.md, "C2 on a faster hour; what a
# statement costs by how often its backend wakes").
#
#   ./nightjar up && docs/tools/statement-cost.sh [SECONDS_PER_CASE]
#
# Every other process of the platform (the services, the simulators, Kafka, Zipkin, Prometheus) is stopped
# with SIGSTOP while it measures and resumed with SIGCONT when it ends, by an error, Ctrl-C or SIGTERM too
# (not after a kill -9: then send SIGCONT to the pids `./nightjar status` lists). The machine's CPU is then
# PostgreSQL's and pgbench's alone. Each case is pgbench inserting one row of the `payments` shape
# into a scratch table in transaction_0 (dropped at the end), and prints the whole machine's CPU per
# statement from /proc/stat, pgbench included, less the machine's share at rest (measured first).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-15}

bin_of() {
    if command -v "$1" > /dev/null; then command -v "$1"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2> /dev/null | sort -V | tail -1)
    [ -n "$found" ] || { echo "$1 not found (Debian: apt-get install postgresql-client)" >&2; exit 1; }
    echo "$found"
}
psql=$(bin_of psql)
pgbench=$(bin_of pgbench)
PGPASSWORD=$(grep '^postgres.superuser=' .nightjar/secrets.properties | cut -d= -f2-)
export PGPASSWORD
connection=(-h 127.0.0.1 -p 9130 -U postgres)

others=$(./nightjar status | awk 'NR > 1 && $1 != "postgresql" && $2 ~ /^[0-9]+$/ { print $2 }')
[ -n "$others" ] || { echo "the platform is not up: ./nightjar up" >&2; exit 1; }
work=$(mktemp -d)
cleanup() {
    for pid in $others; do kill -CONT "$pid" 2> /dev/null || true; done
    "$psql" "${connection[@]}" -q -d transaction_0 \
        -c 'DROP TABLE IF EXISTS probe_checked, probe_plain, probe_one_check' 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$psql" "${connection[@]}" -q -d transaction_0 <<'SQL'
DROP TABLE IF EXISTS probe_checked, probe_plain, probe_one_check;
CREATE TABLE probe_checked (LIKE payments INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
CREATE TABLE probe_plain (LIKE payments INCLUDING DEFAULTS);
CREATE TABLE probe_one_check (LIKE payments INCLUDING DEFAULTS);
ALTER TABLE probe_one_check ADD CONSTRAINT probe_one_check_all CHECK (
    capture_method IN ('AUTOMATIC', 'MANUAL') AND amount_minor > 0 AND amount_capturable_minor >= 0
    AND amount_captured_minor >= 0 AND amount_refunded_minor >= 0 AND amount_refunding_minor >= 0
    AND amount_captured_minor + amount_capturable_minor <= amount_minor
    AND amount_refunded_minor <= amount_captured_minor
    AND amount_refunded_minor + amount_refunding_minor <= amount_captured_minor
    AND (operation_amount_minor IS NULL OR operation_amount_minor >= 0)
    AND (operation_amount_minor IS NOT NULL) = (status IN ('CAPTURING', 'CANCELING')));
SQL
echo "payments' CHECK constraints: $("$psql" "${connection[@]}" -At -d transaction_0 \
    -c "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND conrelid = 'probe_checked'::regclass")"

for table in probe_checked probe_plain probe_one_check; do
    cat > "$work/$table.sql" <<SQL
\set n random(1, 2000000000)
INSERT INTO $table (id, created_at, merchant_id, status, capture_method, amount_minor, currency,
    amount_capturable_minor, amount_captured_minor, amount_refunded_minor, token, card_brand, card_bin, card_last4,
    card_exp_month, card_exp_year, card_fingerprint, risk_score, risk_decision, updated_at, version)
VALUES ('pay_' || :n || '_' || :client_id, now(), 'mer_probe', 'AUTHORIZING', 'AUTOMATIC', 1299, 'EUR', 0, 0, 0,
    'tok_probe', 'visa', '424242', '4242', 12, 2030, 'fp_probe', 10, 'approve', now(), 1);
SQL
done

busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
hz=$(getconf CLK_TCK)

for pid in $others; do kill -STOP "$pid"; done
before=$(busy_ticks); sleep "$seconds"; after=$(busy_ticks)
rest_ms_per_s=$(python3 -c "print(($after - $before) * 1000 / $hz / $seconds)")
printf 'the machine at rest (everything but PostgreSQL stopped): %.1f ms of CPU a second\n\n' "$rest_ms_per_s"
printf '%-52s %10s %14s %16s\n' CASE 'per second' 'µs a statement' 'less the rest'

# case NAME TABLE SYNCHRONOUS_COMMIT CLIENTS RATE(0 = as fast as it goes)
case_of() {
    local name=$1 table=$2 sync=$3 clients=$4 rate=$5 rate_option=() before after out count
    [ "$rate" = 0 ] || rate_option=(-R "$rate")
    before=$(busy_ticks)
    out=$(PGOPTIONS="-c synchronous_commit=$sync" "$pgbench" "${connection[@]}" -n -M prepared -c "$clients" -j 1 \
        -T "$seconds" "${rate_option[@]}" -f "$work/$table.sql" transaction_0 2>&1)
    after=$(busy_ticks)
    count=$(echo "$out" | awk '/number of transactions actually processed/ { split($NF, n, "/"); print n[1] }')
    python3 - "$name" "$count" "$before" "$after" "$hz" "$seconds" "$rest_ms_per_s" <<'PY'
import sys
name, count, before, after, hz, seconds, rest = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
cpu_us = (after - before) * 1e6 / hz
print('%-52s %10.0f %14.1f %16.1f' % (name, count / seconds, cpu_us / count, (cpu_us - rest * 1000 * seconds) / count))
PY
}

case_of 'payments row, 11 CHECKs, no flush, flat out' probe_checked off 1 0
case_of 'payments row, no CHECK, no flush, flat out' probe_plain off 1 0
case_of 'payments row, the 11 as one CHECK, no flush, flat out' probe_one_check off 1 0
case_of 'payments row, no CHECK, commit flushed, flat out' probe_plain on 1 0
case_of 'commit flushed, 100/s on 1 connection' probe_plain on 1 100
case_of 'commit flushed, 200/s on 1 connection' probe_plain on 1 200
case_of 'commit flushed, 200/s on 2 connections' probe_plain on 2 200
case_of 'commit flushed, 1,000/s on 1 connection' probe_plain on 1 1000
case_of 'commit flushed, 1,000/s on 20 connections' probe_plain on 20 1000
