# Sourced by bench-ab.sh and bench-twin.sh: reads SERVICE 'A OPTIONS' 'B OPTIONS' [COUNT] [-- BENCH ARGUMENTS] into
# service, a_options, b_options, count (the caller's default when not given) and bench (the bench's arguments, by
# default 80/s for 60 s after 30 s of warm-up, no PostgreSQL bound), and checks that python3 is there for the summary
# and that the platform runs the service. Without three arguments it prints the caller's header (lines 2 to
# usage_end) and exits.
read_variants() {
    local default_count=$1 usage_end=$2
    shift 2
    [ $# -ge 3 ] || { sed -n "2,${usage_end}p" "$0" | cut -c3- >&2; exit 2; }
    service=$1 a_options=$2 b_options=$3
    shift 3
    count=$default_count
    if [ $# -gt 0 ] && [ "$1" != "--" ]; then
        count=$1
        shift
    fi
    [ $# -gt 0 ] && [ "$1" = "--" ] && shift
    bench=("$@")
    [ ${#bench[@]} -gt 0 ] || bench=(--rate 80 --seconds 60 --warmup 30 --bound-seconds 0)
    command -v python3 > /dev/null || { echo "python3 is needed for the summary (Debian: apt-get install python3)" >&2; exit 1; }
    ./nightjar status | awk -v s="$service" '$1 == s { found = 1 } END { exit !found }' \
        || { echo "no service $service in ./nightjar status (is the platform up?)" >&2; exit 1; }
}

# The run's folder for its logs and windows, .nightjar/KIND/<time> (out), and the options every variant starts from
# (base: NIGHTJAR_JAVA_OPTIONS as the platform was started with).
new_run() {
    out=.nightjar/$1/$(date +%Y%m%d-%H%M%S)
    mkdir -p "$out"
    base=${NIGHTJAR_JAVA_OPTIONS:-}
}

# Restarts MEMBER with the base options and OPTIONS after them, its output in $out/LOG; fails naming the log.
restart_with() {
    local member=$1 options=$2 log=$3
    NIGHTJAR_JAVA_OPTIONS="$base $options" ./nightjar restart "$member" > "$out/$log" 2>&1 \
        || { echo "restart of $member failed: $out/$log" >&2; return 1; }
}
