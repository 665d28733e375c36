# shellcheck shell=bash
# Sourced by infra/taskflow.sh: output, polling, config files, ports, and the records of what it started.

# ---------------------------------------------------------------------------------------------
# Output and small helpers

log() { printf '==> %s\n' "$*"; }
warn() { printf '==> WARNING: %s\n' "$*" >&2; }
die() {
    printf '==> ERROR: %s\n' "$*" >&2
    exit 1
}

# Root is needed for apt-get, /etc and the service wrappers; a developer who is not root gets sudo.
as_root() {
    if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# The local cluster's superuser is reached through its Unix socket with peer authentication.
as_postgres() {
    if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# Polls a command until it succeeds or the deadline (seconds) passes.
wait_for() {
    local seconds=$1
    shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 1
    done
}

# Runs a noisy command with its output in a log file; shows the tail only when it fails.
run_logged() {
    local logfile=$1
    shift
    if ! "$@" >>"$logfile" 2>&1; then
        tail -n 30 "$logfile" >&2 || true
        die "'$*' failed (full output: ${logfile#"$ROOT"/})"
    fi
}

# Writes stdin to a root-owned config file; returns 0 only when the content changed.
install_config() {
    local path=$1 content
    content="$(cat)"
    if [[ -f $path ]] && [[ "$(cat "$path")" == "$content" ]]; then
        return 1
    fi
    as_root mkdir -p "$(dirname "$path")"
    printf '%s\n' "$content" | as_root tee "$path" >/dev/null
    as_root chmod 0644 "$path"
    return 0
}

ensure_state_dirs() {
    mkdir -p "$LOGS" "$PIDS" "$STARTED"
}

# ---------------------------------------------------------------------------------------------
# Ports: who holds them, and whether anything listens beyond loopback

# Prints the `ss` lines of TCP listeners on a port (nothing when the port is free).
port_listeners() {
    ss -Hltnp "sport = :$1" 2>/dev/null || true
}

port_in_use() {
    [[ -n "$(port_listeners "$1")" ]]
}

# Name of the process holding a port ("?" when ss cannot tell, e.g. when not root).
port_process_name() {
    local line
    line="$(port_listeners "$1" | head -n 1)"
    if [[ $line =~ users:\(\(\"([^\"]+)\" ]]; then
        printf '%s\n' "${BASH_REMATCH[1]}"
    else
        printf '?\n'
    fi
}

# Human description of a port's holder, e.g. `nginx (pid 812: nginx: master process ...)`.
describe_port_owner() {
    local line pid name args
    line="$(port_listeners "$1" | head -n 1)"
    if [[ $line =~ users:\(\(\"([^\"]+)\",pid=([0-9]+) ]]; then
        name=${BASH_REMATCH[1]}
        pid=${BASH_REMATCH[2]}
        args="$(ps -o args= -p "$pid" 2>/dev/null | cut -c 1-120 || true)"
        printf '%s (pid %s: %s)\n' "$name" "$pid" "$args"
    else
        printf 'a process ss cannot name (run as root to see it): %s\n' "${line:-?}"
    fi
}

# Exits with a clear message when a port is held by anything other than the expected server.
# Prints "free" or "running".
port_state() {
    local port=$1 expected=$2 service=$3 name
    if ! port_in_use "$port"; then
        echo free
        return
    fi
    name="$(port_process_name "$port")"
    # docker-proxy: a published container port; "?": not root, so ss cannot say. Both are taken at face value.
    if [[ $name =~ ^($expected|docker-proxy|rootlesskit|\?)$ ]]; then
        echo running
        return
    fi
    die "port $port (needed by $service) is taken by $(describe_port_owner "$port"). Stop that process or free the port, then retry."
}

# Our servers must never be reachable from the network: warn about any listener not on loopback.
check_loopback_only() {
    local port line addr exposed=0
    for port in "$@"; do
        while IFS= read -r line; do
            [[ -n $line ]] || continue
            addr="$(awk '{print $4}' <<<"$line")"
            case $addr in
                127.*:* | \[::1\]:* | \[::ffff:127.*\]:*) ;;
                *)
                    warn "port $port listens on $addr (not loopback only): $line"
                    exposed=1
                    ;;
            esac
        done < <(port_listeners "$port")
    done
    ((exposed == 0)) || warn "stop that server and run this script again so it starts with the loopback-only config"
}

# ---------------------------------------------------------------------------------------------
# Records of what this script started

record_started() { # record_started SERVICE HOW
    ensure_state_dirs
    printf '%s\n' "$2" >"$STARTED/$1"
    STARTED_NOW+=("$1")
}

started_how() { # prints native|docker, or nothing when this script did not start SERVICE
    cat "$STARTED/$1" 2>/dev/null || true
}

forget_started() {
    rm -f "$STARTED/$1"
}
