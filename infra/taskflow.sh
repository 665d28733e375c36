#!/usr/bin/env bash
# TaskFlow's one entry point for developers and CI.
#
#   infra/taskflow.sh up [--detach]   provision PostgreSQL + RabbitMQ, build, migrate, run API + worker
#   infra/taskflow.sh down            stop what `up` (or `provision`/`test`) started
#   infra/taskflow.sh test [ARGS...]  provision, then `dotnet test` on each test project in turn (ARGS go to each);
#                                     last line "N passed, N failed" over all of them
#   infra/taskflow.sh migrate         provision, build, apply the SQL migrations
#   infra/taskflow.sh bench [ARGS...] provision, build, run the benchmark on a TaskFlow of its own (ARGS: README, "Measuring")
#   infra/taskflow.sh provision       only make PostgreSQL and RabbitMQ answer on 127.0.0.1
#
# PostgreSQL and RabbitMQ come from Docker when a Docker engine answers, otherwise from Debian's
# packages run as plain processes (no systemd needed). Every server listens on 127.0.0.1 only.
# State (logs, pids, the JWT signing key, which services this script started) lives in .taskflow/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.taskflow"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
STARTED="$STATE/started" # one file per backing service this script started; its content says how (native|docker)
SOLUTION="$ROOT/TaskFlow.sln"
COMPOSE_FILE="$ROOT/docker-compose.yml"

PG_VERSION=15
PG_CLUSTER=main
PG_PORT=5432
AMQP_PORT=5672
RABBIT_UI_PORT=15672
API_URL="http://127.0.0.1:5080"
WORKER_URL="http://127.0.0.1:5081"
PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Database=taskflow;Username=taskflow;Password=taskflow"
PG_URL="postgresql://taskflow:taskflow@127.0.0.1:$PG_PORT/taskflow"
AMQP_URL="amqp://taskflow:taskflow@127.0.0.1:$AMQP_PORT/"
RABBIT_UI_URL="http://127.0.0.1:$RABBIT_UI_PORT"

# Connection budget (docs/operations.md): `up`, `bench` and `test` side by side on one server, each host's pool at
# its largest default (40): up 92 (API 40, worker 40, its Quartz store 12), bench 100 (the same and its own queries),
# test 140 (the assembly's API and worker, a spec's API and two workers at 20 each, Quartz stores, its queries), 3 for
# superusers: 335, and room for psql and a migration. Only ever raised: a server set higher keeps its own.
PG_MAX_CONNECTIONS=400

# Deadlines in seconds for things we poll.
PG_START_TIMEOUT=60
RABBIT_START_TIMEOUT=120
HOST_READY_TIMEOUT=120
HOST_STOP_TIMEOUT=20

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Filled in while running; read by on_exit.
STARTED_NOW=()      # backing services started by this very invocation
HOSTS_STARTED=0     # 1 once this invocation started the API/worker
KEEP_RUNNING=0      # 1 when `up --detach` succeeded: leave everything running
OWN_UP_PIDFILE=0    # 1 when this process wrote .taskflow/pids/up.pid
TEST_SUMMARY_DUE=0  # 1 while `test` still owes its closing summary line
APT_UPDATED=0
VERB=""            # the verb being run

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

# ---------------------------------------------------------------------------------------------
# Docker (used for PostgreSQL/RabbitMQ only when an engine answers)

docker_usable() {
    command -v docker >/dev/null 2>&1 && timeout 15 docker info >/dev/null 2>&1
}

compose() {
    # The file's api/worker services need the signing key even when only postgres/rabbitmq start.
    TASKFLOW_SIGNING_KEY="$(signing_key)"
    export TASKFLOW_SIGNING_KEY
    if docker compose version >/dev/null 2>&1; then
        docker compose -f "$COMPOSE_FILE" --project-directory "$ROOT" "$@"
    elif command -v docker-compose >/dev/null 2>&1; then
        docker-compose -f "$COMPOSE_FILE" --project-directory "$ROOT" "$@"
    else
        die "Docker answers but neither 'docker compose' nor 'docker-compose' is installed"
    fi
}

start_with_docker() { # start_with_docker SERVICE...
    log "Starting $* with docker compose"
    compose up -d "$@"
    local service
    for service in "$@"; do record_started "$service" docker; done
}

# ---------------------------------------------------------------------------------------------
# Debian packages (used when there is no Docker engine)

package_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

install_packages() { # install_packages PACKAGE... (only the missing ones)
    local missing=() package
    for package in "$@"; do
        package_installed "$package" || missing+=("$package")
    done
    ((${#missing[@]})) || return 0
    command -v apt-get >/dev/null 2>&1 ||
        die "${missing[*]} missing and apt-get is not available: install ${missing[*]} first (or Docker for PostgreSQL $PG_VERSION and RabbitMQ 3.10)"
    ensure_state_dirs
    if ((APT_UPDATED == 0)); then
        log "apt-get update"
        run_logged "$LOGS/apt.log" as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        APT_UPDATED=1
    fi
    log "Installing ${missing[*]} (apt-get, output in .taskflow/logs/apt.log)"
    # confold: keep the loopback config we may have written before the package arrived.
    run_logged "$LOGS/apt.log" as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${missing[@]}"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

pg_cluster_status() { # online|down|absent
    local line
    line="$(pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c' || true)"
    if [[ -z $line ]]; then
        echo absent
    elif [[ $line == *online* ]]; then
        echo online
    else
        echo down
    fi
}

write_postgres_config() { # returns 0 when the config changed
    install_config "/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d/taskflow.conf" <<EOF
# Written by infra/taskflow.sh: TaskFlow's development database answers on loopback only.
listen_addresses = '127.0.0.1'
port = $PG_PORT
# Debian turns TLS on and Npgsql takes it when offered: on loopback it only costs CPU on both ends (a profile of
# the worker showed 12% of its time in SslStream).
ssl = off
EOF
}

start_postgres_native() {
    if [[ "$(pg_cluster_status)" == absent ]]; then
        log "Creating PostgreSQL cluster $PG_VERSION/$PG_CLUSTER"
        run_logged "$LOGS/postgres.log" as_root pg_createcluster "$PG_VERSION" "$PG_CLUSTER"
    fi
    write_postgres_config || true
    log "Starting PostgreSQL $PG_VERSION (pg_ctlcluster, log: /var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log)"
    run_logged "$LOGS/postgres.log" as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
    record_started postgres native
}

postgres_ready() {
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2
}

# Role and database, idempotently, through the local cluster's superuser.
ensure_postgres_account() {
    if [[ "$(pg_cluster_status)" != online ]] || ! command -v psql >/dev/null 2>&1; then
        return 0 # not our local cluster (e.g. a container): its own setup made the account
    fi
    # A cluster started before our config existed may still listen elsewhere: restart it once.
    if write_postgres_config; then
        log "Restarting PostgreSQL to apply the loopback-only config"
        run_logged "$LOGS/postgres.log" as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
        wait_for "$PG_START_TIMEOUT" postgres_ready || die "PostgreSQL did not come back after the restart"
    fi
    ensure_postgres_max_connections
    log "Ensuring PostgreSQL role and database 'taskflow'"
    # `cd /`: psql run as postgres may not be allowed into the caller's directory.
    if ! (cd / && as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres) \
        <<<"$POSTGRES_ACCOUNT_SQL" >>"$LOGS/postgres.log" 2>&1; then
        tail -n 20 "$LOGS/postgres.log" >&2 || true
        die "could not create the PostgreSQL role/database (see .taskflow/logs/postgres.log)"
    fi
}

# max_connections takes a restart to change, so only when it is below the budget; ALTER SYSTEM's file is read last, so
# it wins over the cluster's own config. Servers other than our local cluster: docker-compose.yml sets it.
ensure_postgres_max_connections() {
    local current
    current="$(cd / && as_postgres psql -X -Atq -p "$PG_PORT" -d postgres -c 'SHOW max_connections')" ||
        die "could not read PostgreSQL's max_connections"
    ((current >= PG_MAX_CONNECTIONS)) && return 0
    log "Raising PostgreSQL's max_connections from $current to $PG_MAX_CONNECTIONS (restarts PostgreSQL once)"
    (cd / && as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres \
        -c "ALTER SYSTEM SET max_connections = $PG_MAX_CONNECTIONS") >>"$LOGS/postgres.log" 2>&1 ||
        die "could not set max_connections (see .taskflow/logs/postgres.log)"
    run_logged "$LOGS/postgres.log" as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
    wait_for "$PG_START_TIMEOUT" postgres_ready || die "PostgreSQL did not come back after the restart"
}

# CREATE has no IF NOT EXISTS for roles and databases: \gexec runs the statement only when missing.
POSTGRES_ACCOUNT_SQL="$(
    cat <<'SQL'
SELECT 'CREATE ROLE taskflow' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'taskflow')\gexec
ALTER ROLE taskflow WITH LOGIN CREATEDB PASSWORD 'taskflow';
SELECT 'CREATE DATABASE taskflow OWNER taskflow' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'taskflow')\gexec
ALTER DATABASE taskflow OWNER TO taskflow;
SQL
)"

verify_postgres() {
    if command -v psql >/dev/null 2>&1; then
        wait_for 30 env PGCONNECT_TIMEOUT=3 psql -X -Atq "$PG_URL" -c 'select 1' ||
            die "cannot log in to PostgreSQL as taskflow: psql \"$PG_URL\" fails"
    elif [[ "$(started_how postgres)" == docker ]]; then
        wait_for "$PG_START_TIMEOUT" compose exec -T postgres pg_isready -q -h 127.0.0.1 -U taskflow -d taskflow ||
            die "the postgres container did not become ready (docker compose logs postgres)"
    fi
}

stop_postgres() {
    case "$(started_how postgres)" in
        native)
            log "Stopping PostgreSQL"
            as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop >>"$LOGS/postgres.log" 2>&1 || warn "pg_ctlcluster stop failed"
            ;;
        docker)
            log "Stopping the postgres container"
            compose stop postgres || warn "docker compose stop postgres failed"
            ;;
        *) return 0 ;;
    esac
    forget_started postgres
}

# ---------------------------------------------------------------------------------------------
# RabbitMQ

# rabbitmqctl & co. are wrappers that switch to the rabbitmq user; epmd must stay on loopback too.
rabbitmqctl_() {
    ERL_EPMD_ADDRESS=127.0.0.1 as_root rabbitmqctl "$@"
}

# Written before the package is installed, so even a start by the package itself is loopback-only.
write_rabbitmq_config() {
    install_config /etc/rabbitmq/rabbitmq.conf <<EOF || true
# Written by infra/taskflow.sh: TaskFlow's development broker answers on loopback only.
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBIT_UI_PORT
EOF
    # Sourced by the rabbitmq-server and rabbitmqctl scripts. A fixed node name keeps the data
    # directory stable when the host name changes; epmd (4369) and the Erlang distribution
    # port (25672) would otherwise listen on every interface.
    install_config /etc/rabbitmq/rabbitmq-env.conf <<'EOF' || true
# Written by infra/taskflow.sh: loopback only.
NODENAME=rabbit@localhost
ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
    if [[ ! -e /etc/rabbitmq/enabled_plugins ]]; then
        install_config /etc/rabbitmq/enabled_plugins <<<'[rabbitmq_management].' || true
    fi
}

enable_rabbitmq_management() {
    if ! grep -q rabbitmq_management /etc/rabbitmq/enabled_plugins 2>/dev/null; then
        log "Enabling the RabbitMQ management plugin"
        run_logged "$LOGS/rabbitmq.log" as_root rabbitmq-plugins enable --offline rabbitmq_management
    fi
}

start_rabbitmq_native() {
    enable_rabbitmq_management
    if port_in_use "$AMQP_PORT"; then
        log "RabbitMQ was already started (by its package): reusing it"
        return 0
    fi
    log "Starting RabbitMQ (rabbitmq-server -detached, log: /var/log/rabbitmq/)"
    ERL_EPMD_ADDRESS=127.0.0.1 run_logged "$LOGS/rabbitmq.log" as_root rabbitmq-server -detached
    record_started rabbitmq native
}

amqp_port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$AMQP_PORT") 2>/dev/null
}

rabbitmq_ui_answers() {
    curl -fsS -o /dev/null --max-time 3 -u taskflow:taskflow "$RABBIT_UI_URL/api/overview"
}

# The broker is only usable once the AMQP port is open; `await_startup` straight after -detached
# fails, so poll the port first.
wait_for_rabbitmq() {
    log "Waiting for RabbitMQ on 127.0.0.1:$AMQP_PORT"
    wait_for "$RABBIT_START_TIMEOUT" amqp_port_open ||
        die "RabbitMQ did not open port $AMQP_PORT within ${RABBIT_START_TIMEOUT}s (see /var/log/rabbitmq/ and .taskflow/logs/rabbitmq.log)"
}

# User, tag and permissions, idempotently. Only possible for a broker on this host.
ensure_rabbitmq_account() {
    command -v rabbitmqctl >/dev/null 2>&1 || return 0
    if ! rabbitmqctl_ -q -t 60 await_startup >>"$LOGS/rabbitmq.log" 2>&1; then
        return 0 # not a node we can manage (e.g. a container): its own setup made the user
    fi
    log "Ensuring RabbitMQ user 'taskflow' (administrator, full permissions on /)"
    if rabbitmqctl_ -q list_users 2>/dev/null | awk '{print $1}' | grep -qx taskflow; then
        run_logged "$LOGS/rabbitmq.log" rabbitmqctl_ -q change_password taskflow taskflow
    else
        run_logged "$LOGS/rabbitmq.log" rabbitmqctl_ -q add_user taskflow taskflow
    fi
    run_logged "$LOGS/rabbitmq.log" rabbitmqctl_ -q set_user_tags taskflow administrator
    run_logged "$LOGS/rabbitmq.log" rabbitmqctl_ -q set_permissions -p / taskflow '.*' '.*' '.*'
}

verify_rabbitmq() {
    wait_for "$RABBIT_START_TIMEOUT" rabbitmq_ui_answers ||
        die "the RabbitMQ management API does not accept taskflow/taskflow at $RABBIT_UI_URL/api/overview"
}

# MassTransit adds bindings and never removes one. Fired reminders moved from taskflow-reminders to
# taskflow-reminders-fired (issue 19): on a broker that ran an earlier TaskFlow the old binding would keep copying every
# ReminderTriggered into taskflow-reminders_skipped. Gone already (or never there): the DELETE answers 404.
drop_retired_bindings() {
    curl -fsS -o /dev/null --max-time 5 -u taskflow:taskflow -X DELETE \
        "$RABBIT_UI_URL/api/bindings/%2F/e/taskflow.tasks.reminder-triggered/e/taskflow-reminders/~" 2>/dev/null &&
        log "Removed the retired binding taskflow.tasks.reminder-triggered -> taskflow-reminders" || true
}

stop_rabbitmq() {
    case "$(started_how rabbitmq)" in
        native)
            log "Stopping RabbitMQ"
            rabbitmqctl_ -q shutdown >>"$LOGS/rabbitmq.log" 2>&1 || warn "rabbitmqctl shutdown failed"
            stop_idle_epmd
            ;;
        docker)
            log "Stopping the rabbitmq container"
            compose stop rabbitmq || warn "docker compose stop rabbitmq failed"
            ;;
        *) return 0 ;;
    esac
    forget_started rabbitmq
}

# Erlang's port mapper outlives the node; stop it too unless another Erlang node still uses it.
stop_idle_epmd() {
    local epmd
    epmd="$(command -v epmd || find /usr/lib/erlang -path '*/bin/epmd' -type f 2>/dev/null | head -n 1 || true)"
    [[ -n $epmd && -x $epmd ]] || return 0
    if ! ERL_EPMD_ADDRESS=127.0.0.1 "$epmd" -names 2>/dev/null | grep -q '^name '; then
        ERL_EPMD_ADDRESS=127.0.0.1 "$epmd" -kill >/dev/null 2>&1 || true
    fi
}

# ---------------------------------------------------------------------------------------------
# Provisioning both backing services

provision() {
    ensure_state_dirs
    local began=$SECONDS pg rabbit ui
    pg="$(port_state "$PG_PORT" postgres PostgreSQL)"
    rabbit="$(port_state "$AMQP_PORT" 'beam\.smp' RabbitMQ)"
    ui="$(port_state "$RABBIT_UI_PORT" 'beam\.smp' 'the RabbitMQ console')"
    if [[ $rabbit == free && $ui == running ]]; then
        die "port $RABBIT_UI_PORT is held by $(describe_port_owner "$RABBIT_UI_PORT") but nothing answers AMQP on $AMQP_PORT"
    fi
    local wanted=()
    if [[ $pg == free ]]; then
        wanted+=(postgres)
    else
        log "PostgreSQL already listens on 127.0.0.1:$PG_PORT: reusing it"
    fi
    if [[ $rabbit == free ]]; then
        wanted+=(rabbitmq)
    else
        log "RabbitMQ already listens on 127.0.0.1:$AMQP_PORT: reusing it"
    fi

    if ((${#wanted[@]})) && docker_usable; then
        start_with_docker "${wanted[@]}"
    elif ((${#wanted[@]})); then
        local packages=()
        if [[ $pg == free ]]; then packages+=(postgresql); fi
        if [[ $rabbit == free ]]; then
            write_rabbitmq_config
            packages+=(rabbitmq-server)
        fi
        install_packages "${packages[@]}"
        # RabbitMQ boots slowly: start it first and let PostgreSQL start meanwhile.
        if [[ $rabbit == free ]]; then start_rabbitmq_native; fi
        if [[ $pg == free ]]; then start_postgres_native; fi
    fi

    log "Waiting for PostgreSQL on 127.0.0.1:$PG_PORT"
    if command -v pg_isready >/dev/null 2>&1; then
        wait_for "$PG_START_TIMEOUT" postgres_ready || die "PostgreSQL did not accept connections within ${PG_START_TIMEOUT}s"
    fi
    ensure_postgres_account
    verify_postgres

    wait_for_rabbitmq
    ensure_rabbitmq_account
    verify_rabbitmq
    drop_retired_bindings

    check_loopback_only "$PG_PORT" "$AMQP_PORT" "$RABBIT_UI_PORT" 25672 4369
    log "PostgreSQL and RabbitMQ are ready ($((SECONDS - began))s)"
}

# ---------------------------------------------------------------------------------------------
# .NET: configuration, build, migrations, the two hosts

# Generated once, kept in .taskflow/, so tokens stay valid across restarts.
signing_key() {
    local file="$STATE/signing-key"
    if [[ ! -s $file ]]; then
        ensure_state_dirs
        (
            umask 077
            if command -v openssl >/dev/null 2>&1; then
                openssl rand -base64 48 >"$file"
            else
                head -c 48 /dev/urandom | base64 -w 0 >"$file"
            fi
        )
    fi
    tr -d '\n' <"$file"
}

# Values already in the environment win, so a developer can point the hosts elsewhere.
export_app_env() {
    export ConnectionStrings__TaskFlow="${ConnectionStrings__TaskFlow:-$PG_CONNECTION}"
    export ConnectionStrings__RabbitMq="${ConnectionStrings__RabbitMq:-$AMQP_URL}"
    Auth__SigningKey="${Auth__SigningKey:-$(signing_key)}"
    export Auth__SigningKey
    # Production, as the benchmark, docker compose and Kubernetes run them: what a newcomer tries is what is measured
    # and deployed (JSON logs, no development settings). The API reference stays on through configuration
    # (ApiReference:Enabled), not the environment. README, "Configuration".
    export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
}

# The web page's packages come from npm (src/TaskFlow.Api/package-lock.json); the build copies them next to the page.
ensure_node() {
    command -v npm >/dev/null 2>&1 || install_packages nodejs npm
}

# Browser specs drive Debian's Chromium through Playwright; they never download a browser.
ensure_chromium() {
    [[ -x /usr/bin/chromium ]] || install_packages chromium
}

build_solution() {
    [[ -f $SOLUTION ]] || die "$SOLUTION not found"
    ensure_node
    log "Building TaskFlow.sln (Release)"
    dotnet build "$SOLUTION" -c Release -nologo
}

# Where `dotnet build` put a host's assembly.
host_dll() { # host_dll TaskFlow.Api
    local name=$1 candidate
    for candidate in "$ROOT/src/$name/bin/Release/net10.0/$name.dll" \
        "$ROOT/artifacts/bin/$name/release/$name.dll"; do
        if [[ -f $candidate ]]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    die "build output $name.dll not found under src/$name/bin/Release/"
}

run_migrations() {
    local dll
    dll="$(host_dll TaskFlow.Worker)"
    log "Applying migrations (TaskFlow.Worker migrate)"
    # The host reads appsettings*.json from its working directory, so run it from its output folder.
    (cd "$(dirname "$dll")" && dotnet "$dll" migrate) || die "migrations failed"
}

host_pid() { # host_pid api|worker|up: the recorded pid if that process still runs
    local file="$PIDS/$1.pid" pid
    [[ -s $file ]] || return 1
    pid="$(cat "$file")"
    kill -0 "$pid" 2>/dev/null || return 1
    printf '%s\n' "$pid"
}

# True when the recorded pid is still the process we started (pids get reused).
host_running() { # host_running api TaskFlow.Api.dll
    local pid
    pid="$(host_pid "$1")" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$2"
}

start_host() { # start_host api TaskFlow.Api http://127.0.0.1:5080
    local key=$1 name=$2 url=$3 dll log port
    dll="$(host_dll "$name")"
    # Checked again here, after the build: whatever took the port meanwhile would answer the readiness probe.
    port="${url##*:}"
    port_in_use "$port" && die "port $port is taken by $(describe_port_owner "$port") since the build began. Stop it and retry."
    log="$LOGS/$key.log"
    [[ -f $log ]] && mv -f "$log" "$log.1"
    log "Starting $name on $url (log: .taskflow/logs/$key.log)"
    # setsid: its own session, so a terminal's Ctrl-C reaches only this script, which then stops
    # the hosts in order, and `up --detach` leaves them running after the terminal closes.
    (cd "$(dirname "$dll")" && exec setsid dotnet "$dll" --urls "$url" >>"$log" 2>&1 </dev/null) &
    local pid=$!
    echo "$pid" >"$PIDS/$key.pid"
    HOSTS_STARTED=1
    # Until the subshell has exec'd, its command line is this script's: wait so that later checks
    # of "is this pid still our host" are not fooled.
    local deadline=$((SECONDS + 10))
    until tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$name.dll"; do
        kill -0 "$pid" 2>/dev/null || break
        ((SECONDS < deadline)) || break
        sleep 0.1
    done
}

wait_host_ready() { # wait_host_ready api TaskFlow.Api http://127.0.0.1:5080
    local key=$1 name=$2 url=$3 deadline=$((SECONDS + HOST_READY_TIMEOUT))
    until curl -fsS -o /dev/null --max-time 3 "$url/health/ready" 2>/dev/null; do
        if ! host_running "$key" "$name.dll"; then
            tail -n 40 "$LOGS/$key.log" >&2 || true
            die "$name exited during startup (log: .taskflow/logs/$key.log)"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 40 "$LOGS/$key.log" >&2 || true
            die "$name is not ready at $url/health/ready after ${HOST_READY_TIMEOUT}s (log: .taskflow/logs/$key.log)"
        fi
        sleep 1
    done
    log "$name is ready"
}

stop_host() { # stop_host api TaskFlow.Api
    local key=$1 name=$2 pid deadline
    if host_running "$key" "$name.dll"; then
        pid="$(host_pid "$key")"
        log "Stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        deadline=$((SECONDS + HOST_STOP_TIMEOUT))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            warn "$name did not stop within ${HOST_STOP_TIMEOUT}s: killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$PIDS/$key.pid"
}

stop_hosts() {
    stop_host worker TaskFlow.Worker
    stop_host api TaskFlow.Api
}

# A foreground `up` in another terminal: ask it to stop; it then stops what it started.
stop_foreground_up() {
    local pid
    pid="$(host_pid up)" || return 0
    [[ $pid != "$$" ]] || return 0
    grep -q taskflow.sh "/proc/$pid/cmdline" 2>/dev/null || return 0
    log "Stopping the running \`infra/taskflow.sh up\` (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
}

print_banner() {
    local stop_hint=$1
    cat <<EOF

==> TaskFlow is running
    Web page:                $API_URL/   (sign up there)
    API reference (Scalar):  $API_URL/scalar/v1
    OpenAPI document:        $API_URL/openapi/v1.json
    API health:              $API_URL/health/live   $API_URL/health/ready
    Worker health:           $WORKER_URL/health/live   $WORKER_URL/health/ready
    RabbitMQ console:        $RABBIT_UI_URL   (login: taskflow / taskflow)
    PostgreSQL:              $PG_CONNECTION
                             psql "$PG_URL"
    Logs:                    $LOGS/ (api.log, worker.log)
==> $stop_hint

EOF
}

# ---------------------------------------------------------------------------------------------
# Exit handling: whatever path we leave by, stop what must not outlive us

on_exit() {
    local status=$?
    set +e
    if ((HOSTS_STARTED == 1 && KEEP_RUNNING == 0)); then
        stop_hosts
        local service
        for service in "${STARTED_NOW[@]}"; do
            case $service in
                postgres) stop_postgres ;;
                rabbitmq) stop_rabbitmq ;;
            esac
        done
    fi
    if ((OWN_UP_PIDFILE == 1)); then rm -f "$PIDS/up.pid"; fi
    if ((status != 0 && HOSTS_STARTED == 0 && ${#STARTED_NOW[@]} > 0)) && [[ $VERB != test ]]; then
        log "${STARTED_NOW[*]} left running: \`infra/taskflow.sh down\` stops them"
    fi
    if ((TEST_SUMMARY_DUE == 1)); then
        # `test` promised its summary as the last line, even when it failed before testing.
        printf '0 passed, 0 failed\n'
    fi
    exit "$status"
}
trap on_exit EXIT
# Without these, a signal would end bash without running the EXIT trap.
trap 'exit 130' INT
trap 'exit 143' TERM

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
# Verbs

cmd_provision() {
    provision
    log "PostgreSQL: $PG_CONNECTION"
    log "RabbitMQ:   $AMQP_URL   console $RABBIT_UI_URL (taskflow / taskflow)"
    log "\`infra/taskflow.sh down\` stops what this script started"
}

cmd_migrate() {
    provision
    export_app_env
    build_solution
    run_migrations
    log "Migrations applied"
}

cmd_up() {
    local detach=0 arg
    for arg in "$@"; do
        case $arg in
            -d | --detach) detach=1 ;;
            *) die "unknown option for up: $arg (usage: infra/taskflow.sh up [--detach])" ;;
        esac
    done
    ensure_state_dirs

    # A previous `up` of ours is stopped first, so this one starts from a known state.
    stop_foreground_up
    stop_hosts
    local port
    for port in 5080 5081; do
        if port_in_use "$port"; then
            die "port $port (needed by TaskFlow) is taken by $(describe_port_owner "$port"). Stop it and retry."
        fi
    done

    echo $$ >"$PIDS/up.pid"
    OWN_UP_PIDFILE=1

    provision
    export_app_env
    build_solution
    run_migrations

    start_host api TaskFlow.Api "$API_URL"
    start_host worker TaskFlow.Worker "$WORKER_URL"
    wait_host_ready api TaskFlow.Api "$API_URL"
    wait_host_ready worker TaskFlow.Worker "$WORKER_URL"

    if ((detach == 1)); then
        KEEP_RUNNING=1
        print_banner "\`infra/taskflow.sh down\` stops it."
        return 0
    fi

    print_banner "Ctrl-C or \`infra/taskflow.sh down\` stops it."
    # Stay in the foreground until a signal, or until a host dies on its own.
    local stop_requested=0
    trap 'stop_requested=1' INT TERM
    while ((stop_requested == 0)) && host_running api TaskFlow.Api.dll && host_running worker TaskFlow.Worker.dll; do
        sleep 1 &
        wait $! || true
    done
    trap 'exit 130' INT
    trap 'exit 143' TERM
    if ((stop_requested == 0)); then
        warn "a TaskFlow host exited on its own (see .taskflow/logs/api.log and worker.log); stopping the rest"
        exit 1
    fi
    log "Stopping TaskFlow"
    # on_exit stops the hosts and the services this run started.
    exit 0
}

cmd_down() {
    ensure_state_dirs
    stop_foreground_up
    stop_hosts
    stop_rabbitmq
    stop_postgres
    rm -f "$PIDS/up.pid"
    log "Stopped (PostgreSQL/RabbitMQ that this script did not start were left alone)"
}

cmd_test() {
    TEST_SUMMARY_DUE=1
    provision
    export TASKFLOW_TEST_POSTGRES="${TASKFLOW_TEST_POSTGRES:-Host=127.0.0.1;Port=$PG_PORT;Username=taskflow;Password=taskflow;Database=postgres}"
    export TASKFLOW_TEST_RABBITMQ="${TASKFLOW_TEST_RABBITMQ:-$AMQP_URL}"
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

# The benchmark starts its own API and worker, on a fresh database and virtual host of these servers, from this build.
cmd_bench() {
    provision
    export TASKFLOW_TEST_POSTGRES="${TASKFLOW_TEST_POSTGRES:-Host=127.0.0.1;Port=$PG_PORT;Username=taskflow;Password=taskflow;Database=postgres}"
    export TASKFLOW_TEST_RABBITMQ="${TASKFLOW_TEST_RABBITMQ:-$AMQP_URL}"
    build_solution
    local bench
    bench="$ROOT/tests/TaskFlow.Benchmarks/bin/Release/net10.0/TaskFlow.Benchmarks.dll"
    [[ -f $bench ]] || die "build output $bench not found"
    dotnet "$bench" "$@"
}

usage() {
    sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

main() {
    VERB=${1:-}
    [[ $# -gt 0 ]] && shift
    case $VERB in
        up) cmd_up "$@" ;;
        down) cmd_down ;;
        test) cmd_test "$@" ;;
        migrate) cmd_migrate ;;
        provision) cmd_provision ;;
        bench) cmd_bench "$@" ;;
        -h | --help | help) usage ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
}

main "$@"
