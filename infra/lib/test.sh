# shellcheck shell=bash
# Sourced by infra/taskflow.sh: the `test` verb, one test project at a time, and its "N passed, N failed" summary.

# ---------------------------------------------------------------------------------------------
# TRX summary

# Prints "passed failed skipped executed", summed over every .trx file under a directory.
trx_totals() {
    local dir=$1 file counters total=0 executed=0 passed=0 failed=0 skipped=0
    local t e p f err tmo abt ne
    while IFS= read -r -d '' file; do
        # The Counters element is one tag; join lines first in case a writer wrapped it.
        counters="$(tr '\n\r' '  ' <"$file" | grep -o '<Counters [^>]*>' | head -n 1 || true)"
        [[ -n $counters ]] || continue
        t="$(xml_count total "$counters")"
        e="$(xml_count executed "$counters")"
        p="$(xml_count passed "$counters")"
        f="$(xml_count failed "$counters")"
        err="$(xml_count error "$counters")"
        tmo="$(xml_count timeout "$counters")"
        abt="$(xml_count aborted "$counters")"
        ne="$(xml_count notExecuted "$counters")"
        total=$((total + t))
        executed=$((executed + e))
        passed=$((passed + p))
        # Errors, time-outs and aborts are failures too.
        failed=$((failed + f + err + tmo + abt))
        # Ignored tests: counted in total but not executed (some writers also set notExecuted).
        if ((t - e > ne)); then skipped=$((skipped + t - e)); else skipped=$((skipped + ne)); fi
    done < <(find "$dir" -type f -name '*.trx' -print0 2>/dev/null)
    printf '%d %d %d %d\n' "$passed" "$failed" "$skipped" "$executed"
}

# Prints each failed test's name and the start of its message: a CI log that keeps only its tail
# still names what failed.
trx_failures() {
    find "$1" -type f -name '*.trx' -print0 2>/dev/null | xargs -0 -r awk '
        function unescape(s) {
            gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
            gsub(/&#x[dD];/, "", s); gsub(/&amp;/, "\\&", s); return s
        }
        /<UnitTestResult / {
            failed = $0 ~ /outcome="(Failed|Error|Timeout|Aborted)"/
            if (failed && match($0, /testName="[^"]*"/)) {
                print "FAILED " unescape(substr($0, RSTART + 10, RLENGTH - 11)); shown = 0
            }
        }
        failed && /<Message>/ { inmessage = 1; sub(/.*<Message>/, "") }
        failed && inmessage {
            line = $0; ended = sub(/<\/Message>.*/, "", line)
            if (shown < 12 && line ~ /[^ ]/) { print "    " unescape(line); shown++ }
            if (ended) inmessage = 0
        }
        /<\/UnitTestResult>/ { failed = 0; inmessage = 0 }
    '
}

# For each failed spec that started host processes: the last warnings and errors they logged, so that a CI log
# that keeps only its tail still says what the API or worker saw. The whole logs stay in the results folder.
host_log_warnings() {
    local name folder file
    trx_failures "$1" | sed -n 's/^FAILED //p' | while IFS= read -r name; do
        folder="$1/host-logs/$(printf '%s' "$name" | sed 's/[^A-Za-z0-9._]/_/g')"
        folder="$(find "$1/host-logs" -mindepth 1 -maxdepth 1 -type d -name "*.${folder##*/}" 2>/dev/null | head -n 1)"
        [[ -n $folder ]] || continue
        for file in "$folder"/*.log; do
            printf '  %s, its last warnings and errors:\n' "${file##*/}"
            if [[ ${file##*/} == rabbitmq-* ]]; then
                grep -E '\[(warning|error|critical)\]' "$file" | tail -n 8 | cut -c12-23,33-260 | sed 's/^/    /'
                continue
            fi
            grep -E '"LogLevel":"(Warning|Error|Critical)"' "$file" | tail -n 8 |
                sed -E 's/^\{"Timestamp":"[^T]*T([^"]{12})[^"]*","EventId":[0-9]*,"LogLevel":"(.{4})[^"]*","Category":"([^"]*)","Message":"(([^"\\]|\\.)*)".*/    \1 \2 \3: \4/' |
                cut -c1-260
        done
    done
}

xml_count() { # xml_count ATTRIBUTE "<Counters ...>"
    if [[ $2 =~ [[:space:]]$1=\"([0-9]+)\" ]]; then
        printf '%s\n' "${BASH_REMATCH[1]}"
    else
        printf '0\n'
    fi
}

# Keeps the newest few result folders so .taskflow/ does not grow without bound.
prune_test_results() {
    local keep=10
    find "$STATE/test-results" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' 2>/dev/null |
        sort -rn | tail -n +$((keep + 1)) | cut -d' ' -f2- | while IFS= read -r dir; do rm -rf "$dir"; done
}

# The solution's test projects (named *Tests or *Specs, as tests/Directory.Build.props marks them), quickest first.
test_projects() {
    dotnet sln "$SOLUTION" list | grep -E '(Tests|Specs)\.csproj$' | tr '\\' / |
        awk '{ print (/IntegrationTests/ ? 2 : /Specs/ ? 1 : 0) "\t" $0 }' | sort -n | cut -f2-
}

summary_line() { # summary_line PASSED FAILED SKIPPED
    if (($3 > 0)); then
        printf '%d passed, %d failed, %d skipped\n' "$1" "$2" "$3"
    else
        printf '%d passed, %d failed\n' "$1" "$2"
    fi
}

# ---------------------------------------------------------------------------------------------
# The verb

cmd_test() {
    TEST_SUMMARY_DUE=1
    provision
    export_test_servers
    [[ -f $SOLUTION ]] || die "$SOLUTION not found"
    ensure_node
    ensure_chromium

    local results
    results="$STATE/test-results/$(date +%Y%m%d-%H%M%S)-$$"
    mkdir -p "$results"
    prune_test_results
    log "Running dotnet test (TRX files in ${results#"$ROOT"/})"
    # Processes a spec starts (API, worker) write their console here, one folder per spec.
    export TASKFLOW_HOST_LOGS="$results/host-logs"
    # One test assembly at a time: run together (as `dotnet test` on the solution does) on a small CI machine, one
    # assembly's host restarts and 200,000-row seeds took the CPU from another's specs that assert within 1-2 s.
    # Each builds what it needs; the TRX files of all of them make the summary below.
    local rc=0 project started projects
    mapfile -t projects < <(test_projects)
    for project in "${projects[@]}"; do
        started=$SECONDS
        log "Testing ${project%.csproj}"
        dotnet test "$ROOT/$project" -c Release --logger trx --logger "console;verbosity=normal" \
            --results-directory "$results" "$@" || rc=$?
        log "${project##*/} took $((SECONDS - started)) s"
    done

    local passed failed skipped executed
    read -r passed failed skipped executed < <(trx_totals "$results")
    if ((rc != 0)); then
        warn "dotnet test exited with $rc"
    elif ((executed == 0)); then
        warn "no test was executed"
        rc=1
    elif ((failed > 0)); then
        rc=1
    fi
    if ((failed > 0)); then
        trx_failures "$results"
        host_log_warnings "$results"
    fi
    TEST_SUMMARY_DUE=0
    summary_line "$passed" "$failed" "$skipped"
    return "$rc"
}
