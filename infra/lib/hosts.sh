# shellcheck shell=bash
# Sourced by infra/taskflow.sh: the `up`, `down` and `migrate` verbs: build, migrate, and run the API and the worker.

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
    MCP (AI assistants):     $API_URL/mcp   (bearer token; README, "Connect an AI assistant")
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
# The verbs

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
