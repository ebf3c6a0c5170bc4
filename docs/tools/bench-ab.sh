#!/usr/bin/env bash
# An A/B of one service's JVM options on the running local platform (docs/performance.md, "The benchmark",
# "Comparing two settings of one service"). The service is restarted with A's options and a bench window runs,
# then the same with B's, for PAIRS pairs (A first in each). It prints each window, each variant's mean and
# range, and the pairwise differences A - B with their mean and its 95 % interval (Student's t on PAIRS - 1
# degrees of freedom). A difference whose interval holds zero is within what PAIRS pairs tell apart. The service is
# left running with A's options.
#
#   ./nightjar up && docs/tools/bench-ab.sh SERVICE 'A OPTIONS' 'B OPTIONS' [PAIRS] [-- BENCH ARGUMENTS]
#   docs/tools/bench-ab.sh gateway-service '' '-Dnightjar.gateway.some-setting=false' 3 -- --rate 80 --seconds 60
#
# The options go after NIGHTJAR_JAVA_OPTIONS, so a platform started with its own (C2, say) keeps them. PAIRS is 3
# by default, the bench arguments `--rate 80 --seconds 60 --warmup 30 --bound-seconds 0`. The windows' JSON stays
# in .nightjar/ab/<time>/ (A1.json, B1.json, ...).
set -euo pipefail
cd "$(dirname "$0")/../.."
. docs/tools/variants.sh
read_variants 3 14 "$@"
pairs=$count

new_run ab
run() {
    local variant=$1 options=$2 pair=$3
    restart_with "$service" "$options" "restart-$variant$pair.log" || exit 1
    ./nightjar bench "${bench[@]}" --json "$out/$variant$pair.json" > "$out/$variant$pair.txt" 2>&1 \
        || { echo "bench failed: $out/$variant$pair.txt" >&2; exit 1; }
    echo "$(date +%T) $variant$pair done"
}
for pair in $(seq 1 "$pairs"); do
    run A "$a_options" "$pair"
    run B "$b_options" "$pair"
done
restart_with "$service" "$a_options" "restart-A-last.log"

python3 - "$out" "$service" "$pairs" "$a_options" "$b_options" <<'PY'
import json, math, sys

out, service, pairs, a_options, b_options = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
figures = [
    ("platform ms", lambda s, p: s["cpu"]["platform_total"]["millis_per_payment"]),
    ("own ms", lambda s, p: s["cpu"]["nightjar"]["millis_per_payment"]),
    (service + " ms", lambda s, p: p.get(service)),
    ("postgresql ms", lambda s, p: p.get("postgresql")),
    ("statements", lambda s, p: s["database"]["statements_per_payment"]),
    ("commits", lambda s, p: s["database"]["commits_per_payment"]),
    ("p50 ms", lambda s, p: s["latency_millis"]["p50"]),
    ("p99 ms", lambda s, p: s["latency_millis"]["p99"]),
]

def window(name):
    with open(f"{out}/{name}.json") as f:
        report = json.load(f)
    step = report["steps"][0]
    processes = {p["process"]: p["millis_per_payment"] for p in step["cpu"]["processes"]}
    values = {label: get(step, processes) for label, get in figures}
    values["machine line ms"] = report["machine_work"]["best_millis"]
    values["created"] = step["payments_created"]
    values["errors"] = step["error_count"]
    return values

windows = {f"{v}{i}": window(f"{v}{i}") for i in range(1, pairs + 1) for v in "AB"}
columns = ["machine line ms", "created", "errors"] + [label for label, _ in figures]
print(f"A: {a_options or '(no options)'}\nB: {b_options or '(no options)'}\n")
widths = {c: max(len(c) + 2, 10) for c in columns}
print(f"{'window':8}" + "".join(f"{c:>{widths[c]}}" for c in columns))
for name, values in windows.items():
    print(f"{name:8}" + "".join(f"{'-' if values[c] is None else round(values[c], 2):>{widths[c]}}" for c in columns))
print()
# two-sided 95 % quantiles of Student's t by degrees of freedom; 2.0 beyond the table
T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26, 10: 2.23, 15: 2.13, 20: 2.09, 30: 2.04}

def t95(df):
    return next((T95[d] for d in sorted(T95) if d >= df), 2.0)

print(f"{'figure':22}{'A mean (range)':>26}{'B mean (range)':>26}{'A - B by pair':>30}{'mean, 95 % interval':>22}  verdict")
for label, _ in figures:
    a = [windows[f"A{i}"][label] for i in range(1, pairs + 1)]
    b = [windows[f"B{i}"][label] for i in range(1, pairs + 1)]
    if None in a or None in b:
        continue
    diffs = [x - y for x, y in zip(a, b)]
    mean = sum(diffs) / pairs
    half = t95(pairs - 1) * math.sqrt(sum((d - mean) ** 2 for d in diffs) / (pairs - 1) / pairs) if pairs > 1 else float("nan")
    verdict = "stands out" if pairs > 1 and abs(mean) > half else "within the noise"
    describe = lambda xs: f"{sum(xs) / len(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})"
    print(f"{label:22}{describe(a):>26}{describe(b):>26}{' '.join(f'{d:+.2f}' for d in diffs):>30}"
          f"{f'{mean:+.2f} ± {half:.2f}':>22}  {verdict}")
print(f"\nwindows: {out}")
PY
