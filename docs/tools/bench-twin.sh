#!/usr/bin/env bash
# Two settings of one service measured side by side in the same windows (docs/performance.md, "Two settings of one
# service in the same window"). A second instance of the service, its twin, runs beside it on ports of its own, and
# the service's callers send every other call to the twin (nightjar.clients.<service>.twin-url), so each instance
# serves half of the same calls at the same moments, on the same machine. A window's figure is each instance's CPU
# over the bench's window, from /proc: the whole process, and its request threads (the virtual threads' carriers and
# Tomcat's pollers). The difference between the two instances is free of the machine's speed, which moves both alike.
# A pair is two placements, each starting both instances afresh and measuring one window: A on the service's own
# ports and B on the twin's, then the other way round, so what differs between the two places (the twin is not
# scraped by Prometheus, nor a static member of its consumer groups) cancels out in the pair's mean. Two starts of one
# build differ by a few per cent (what the JIT made, the partitions a consumer got), so the pairs, each with starts of
# its own, are what the interval counts. It prints every window, the mean difference A - B over the pairs with its
# 95 % interval, and the groups of threads where it is. At its end it stops the twin and starts the callers without
# it; the service is left on A.
#
#   ./nightjar up && docs/tools/bench-twin.sh SERVICE 'A OPTIONS' 'B OPTIONS' [PAIRS] [-- BENCH ARGUMENTS]
#   docs/tools/bench-twin.sh risk-service '' '-Dnightjar.server.direct-dispatch=false' 3 -- --rate 60 --seconds 60
#
# SERVICE is one called on a payment's path: gateway-service (called by the bench, which sends the twin every other
# round of payments through NIGHTJAR_BENCH_GATEWAY_TWIN), vault-service (by the gateway and auth-service),
# transaction-service (by the gateway), risk-service or auth-service (by transaction-service). PAIRS is 3 by default,
# the bench arguments `--rate 80 --seconds 60 --warmup 30 --bound-seconds 0` (the twin is a JVM more: choose a rate
# the platform holds with room). The options go after NIGHTJAR_JAVA_OPTIONS. The twin listens on TWIN_PORT (9180) and
# TWIN_MANAGEMENT_PORT (9280); its log is .nightjar/logs/SERVICE-twin.log, and the windows' JSON and CPU readings stay
# in .nightjar/twin/<time>/.
set -euo pipefail
cd "$(dirname "$0")/../.."
. docs/tools/variants.sh
read_variants 3 25 "$@"
pairs=$count
[ "$pairs" -ge 2 ] || { echo "PAIRS must be at least 2: the interval comes from the spread between pairs" >&2; exit 2; }
twin_port=${TWIN_PORT:-9180}
twin_management_port=${TWIN_MANAGEMENT_PORT:-9280}
gateway_twin=
case $service in
    gateway-service) callers=() gateway_twin=https://localhost:$twin_port ;;
    vault-service) callers=(gateway-service auth-service) ;;
    transaction-service) callers=(gateway-service) ;;
    risk-service | auth-service) callers=(transaction-service) ;;
    *) echo "$service: measure one of gateway-service, vault-service, transaction-service, risk-service, auth-service" >&2
        exit 2 ;;
esac
command -v curl > /dev/null || { echo "curl is needed to see the twin ready (Debian: apt-get install curl)" >&2; exit 1; }

twin=$service-twin
twin_pid_file=.nightjar/run/$twin.pid
new_run twin

stop_twin() {
    [ -f "$twin_pid_file" ] || return 0
    local pid
    pid=$(cut -d' ' -f1 "$twin_pid_file")
    if kill "$pid" 2> /dev/null; then
        for _ in $(seq 1 300); do
            kill -0 "$pid" 2> /dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2> /dev/null || true
    fi
    rm -f "$twin_pid_file"
}

finish() {
    stop_twin
    for caller in "${callers[@]}"; do
        restart_with "$caller" "" "restart-$caller-last.log" || true
    done
    restart_with "$service" "$a_options" "restart-$service-last.log" || true
}
trap finish EXIT

# The service's command line with no variant's options: the twin's, with its variant's options put where
# NIGHTJAR_JAVA_OPTIONS go (before -jar), its own ports, its own GC log, no class-data archive or AOT cache written at
# its exit, and no instance name (so it joins its consumer groups as a dynamic member, and leaves them when stopped).
restart_with "$service" "" "restart-$service-template.log"
mapfile -d '' template < "/proc/$(cut -d' ' -f1 ".nightjar/run/$service.pid")/cmdline"

start_twin() {
    local options=$1 command=() token
    local -a extra
    read -r -a extra <<< "$base $options"
    for token in "${template[@]}"; do
        case $token in
            -XX:+AutoCreateSharedArchive | -XX:AOTCacheOutput=* | -XX:AOTMode=record) continue ;;
            -Dnightjar.instance=*) token=-Dnightjar.instance= ;;
            -Xlog:gc*) token=${token/\/$service.log/\/$twin.log} ;;
            -jar) command+=("${extra[@]}") ;;
        esac
        command+=("$token")
    done
    command+=("--server.port=$twin_port" "--management.server.port=$twin_management_port")
    nohup "${command[@]}" > ".nightjar/logs/$twin.log" 2>&1 &
    local pid=$!
    echo "$pid 0 $(sed 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f20)" > "$twin_pid_file"
    for _ in $(seq 1 240); do
        kill -0 "$pid" 2> /dev/null || { echo "the twin exited; see .nightjar/logs/$twin.log" >&2; return 1; }
        if curl -sk -m 2 "https://127.0.0.1:$twin_management_port/actuator/health/readiness" | grep -q '"status":"UP"}$'; then
            return 0
        fi
        sleep 0.5
    done
    echo "the twin was not ready within 120 s; see .nightjar/logs/$twin.log" >&2
    return 1
}

for caller in "${callers[@]}"; do
    restart_with "$caller" "-Dnightjar.clients.$service.twin-url=https://localhost:$twin_port" "restart-$caller.log"
done

# Each instance's CPU read from /proc at each window's start and end, as the bench prints them: the whole process, and
# its request threads (the virtual threads' carriers, which run every request, and Tomcat's pollers), which leave out
# what an instance does whatever the calls (its consumers' share of the partitions, the scrapes, the timers).
cat > "$out/snapshot.py" <<'SNAP'
import json, os, re, sys, time

REQUESTS = ("ForkJoinPool", "https-jsse-nio")

def cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    threads = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                head, rest = f.read().rsplit(")", 1)
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = re.sub(r"[0-9]+", "N", head.split("(", 1)[1])
        fields_of_thread = rest.split()
        threads[name] = threads.get(name, 0) + int(fields_of_thread[11]) + int(fields_of_thread[12])
    requests = sum(ticks for name, ticks in threads.items() if name.startswith(REQUESTS))
    return {"total": int(fields[11]) + int(fields[12]), "requests": requests, "threads": threads}

print(json.dumps({"at": time.time(), "edge": sys.argv[1], "ticks_per_second": os.sysconf("SC_CLK_TCK"),
                  "main": cpu(sys.argv[2]), "twin": cpu(sys.argv[3])}))
SNAP
placement() {
    local name=$1 main_options=$2 twin_options=$3
    stop_twin
    restart_with "$service" "$main_options" "restart-$service-$name.log" &
    local restarting=$!
    start_twin "$twin_options"
    wait "$restarting"
    local main_pid twin_pid open=no
    main_pid=$(cut -d' ' -f1 ".nightjar/run/$service.pid")
    twin_pid=$(cut -d' ' -f1 "$twin_pid_file")
    NIGHTJAR_BENCH_GATEWAY_TWIN=$gateway_twin ./nightjar bench "${bench[@]}" --json "$out/$name.json" 2>&1 | while IFS= read -r line; do
        printf '%s\n' "$line" >> "$out/$name.txt"
        case $line in
            "measuring: "*) python3 "$out/snapshot.py" start "$main_pid" "$twin_pid" >> "$out/$name.cpu"; open=yes ;;
            "  (waiting "*) [ $open = yes ] && python3 "$out/snapshot.py" end "$main_pid" "$twin_pid" >> "$out/$name.cpu"
                open=no ;;
        esac
    done
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "bench failed: $out/$name.txt" >&2; return 1; }
    echo "$(date +%T) $name done"
}
for pair in $(seq 1 "$pairs"); do
    placement "A$pair" "$a_options" "$b_options"
    placement "B$pair" "$b_options" "$a_options"
done

python3 - "$out" "$pairs" "$a_options" "$b_options" <<'PY'
import json, math, sys

out, pairs, a_options, b_options = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26, 10: 2.23, 15: 2.13, 20: 2.09, 30: 2.04}

def window(name, a_is_main):
    with open(f"{out}/{name}.json") as f:
        report = json.load(f)
    with open(f"{out}/{name}.cpu") as f:
        edges = [json.loads(line) for line in f]
    step = report["steps"][0]
    if len(report["steps"]) != 1 or len(edges) != 2:
        sys.exit(f"{name}: {len(edges)} CPU readings for {len(report['steps'])} windows; see {out}/{name}.txt")
    start, end = edges
    payments = step["payments_created"]
    millis = 1000.0 / end["ticks_per_second"]
    spent = {}
    for who in ("main", "twin"):
        spent[who] = {kind: (end[who][kind] - start[who][kind]) * millis / payments for kind in ("total", "requests")}
        spent[who]["threads"] = {thread: (ticks - start[who]["threads"].get(thread, 0)) * millis / payments
                                 for thread, ticks in end[who]["threads"].items()}
    a, b = (spent["main"], spent["twin"]) if a_is_main else (spent["twin"], spent["main"])
    return {"name": name, "created": payments, "errors": step["error_count"], "machine": report["machine_work"]["best_millis"],
            "platform": step["cpu"]["platform_total"]["millis_per_payment"], "a": a, "b": b}

rows = [(window(f"A{k}", True), window(f"B{k}", False)) for k in range(1, pairs + 1)]
print(f"A: {a_options or '(no options)'}\nB: {b_options or '(no options)'}")
print("each instance serves every other call; its CPU per payment of the window: the whole process, and its request"
      " threads (carriers and Tomcat's pollers)\n")
print(f"{'window':>7}  {'A on':14}{'created':>8}{'errors':>7}{'machine':>9}{'platform':>10}"
      f"{'A ms':>8}{'B ms':>8}{'A - B':>8}{'A req':>8}{'B req':>8}{'A - B':>8}{'(A - B) / B':>12}")
for pair in rows:
    for r in pair:
        a, b = r["a"], r["b"]
        print(f"{r['name']:>7}  {'its own ports' if r['name'][0] == 'A' else 'the twin':14}{r['created']:>8}{r['errors']:>7}"
              f"{r['machine']:>9.1f}{r['platform']:>10.2f}{a['total']:>8.3f}{b['total']:>8.3f}{a['total'] - b['total']:>+8.3f}"
              f"{a['requests']:>8.3f}{b['requests']:>8.3f}{a['requests'] - b['requests']:>+8.3f}"
              f"{100 * (a['requests'] - b['requests']) / b['requests']:>+11.1f}%")

# A - B in each window carries the difference between the two places too (twin - own when A is on its own ports,
# own - twin when it is the twin); a pair's mean leaves it out, and the pairs' spread gives the interval
print()
t = next((T95[d] for d in sorted(T95) if d >= pairs - 1), 2.0)
request = lambda r: r["a"]["requests"] - r["b"]["requests"]
for label, value, scale in (("whole process, ms a payment", lambda r: r["a"]["total"] - r["b"]["total"], None),
                            ("request threads, ms a payment", request, None),
                            ("request threads, % of B's", request, lambda r: r["b"]["requests"])):
    # a pair's mean difference, as a share of B's mean over the pair when scaled
    by_pair = [(value(own) + value(twin)) / 2 * (1 if scale is None else 200 / (scale(own) + scale(twin)))
               for own, twin in rows]
    place = sum((value(twin) - value(own)) / 2 * (1 if scale is None else 200 / (scale(own) + scale(twin)))
                for own, twin in rows) / pairs
    mean = sum(by_pair) / pairs
    half = t * math.sqrt(sum((v - mean) ** 2 for v in by_pair) / (pairs - 1) / pairs)
    verdict = "stands out" if abs(mean) > half else "within the noise"
    print(f"A - B, {label:30} {mean:+.3f} ± {half:.3f} (95 %, {pairs} pairs: "
          f"{', '.join(f'{v:+.3f}' for v in by_pair)}): {verdict}; the twin's place adds {place:+.3f}")

# where the difference is: the groups of threads (digits in a name read as N) whose A - B, a pair's mean over its two
# places and then the mean over the pairs, is largest either way; a thread that ended in a window is missing from it
names = sorted({n for pair in rows for r in pair for side in ("a", "b") for n in r[side]["threads"]})
by_group = []
for name in names:
    value = lambda r: r["a"]["threads"].get(name, 0) - r["b"]["threads"].get(name, 0)
    by_group.append((sum((value(own) + value(twin)) / 2 for own, twin in rows) / pairs, name))
print("\nA - B by group of threads, ms a payment (the five largest either way):")
for difference, name in sorted(by_group, key=lambda g: -abs(g[0]))[:5]:
    print(f"  {name:20} {difference:+.3f}")
print(f"\nwindows: {out}")
PY
