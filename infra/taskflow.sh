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
# The verbs live in infra/lib/: provision.sh (with postgres.sh and rabbitmq.sh), hosts.sh (up, down, migrate), test.sh,
# bench.sh; common.sh holds the helpers they share.
# shellcheck source-path=SCRIPTDIR
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

# The parts only define functions; the settings and the state above are shared by all of them.
LIB="$ROOT/infra/lib"
# shellcheck source=lib/common.sh
source "$LIB/common.sh"
# shellcheck source=lib/provision.sh
source "$LIB/provision.sh"
# shellcheck source=lib/postgres.sh
source "$LIB/postgres.sh"
# shellcheck source=lib/rabbitmq.sh
source "$LIB/rabbitmq.sh"
# shellcheck source=lib/hosts.sh
source "$LIB/hosts.sh"
# shellcheck source=lib/test.sh
source "$LIB/test.sh"
# shellcheck source=lib/bench.sh
source "$LIB/bench.sh"

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
# Dispatch

# The header comment's first two paragraphs: what this script is, and its verbs.
usage() {
    awk 'NR > 1 { if ($0 == "#" && seen++) exit; sub(/^# ?/, ""); print }' "$ROOT/infra/taskflow.sh"
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
